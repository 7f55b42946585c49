/**
 * How a failed GitHub request should end a job.
 *
 * - `gone`: 403, 404 or 410 that is not a rate limit: the app was uninstalled, access was revoked
 *   or the item was deleted. Nothing to retry; one log line.
 * - `transient`: 5xx, 429, a rate-limit 403 the throttling plugin gave up on, or a network error.
 *   Octokit has retried reads already; the job is worth another attempt later.
 *   The shared rate limiter's store failing (Redis restarting empty or unreachable:
 *   `SETTINGS_KEY_NOT_FOUND`, `Connection is closed`, `LOADING`, `READONLY`) is transient too, so the
 *   job is retried instead of being counted as done.
 * - `fatal`: anything else (a 4xx we caused, or a bug). Logged as an error, not retried.
 */
export function classifyGitHubError(error: unknown): 'gone' | 'transient' | 'fatal' {
  const err = error as { status?: unknown; message?: unknown; name?: unknown; response?: { headers?: Record<string, string | undefined> } } | null;
  const status = typeof err?.status === 'number' ? err.status : undefined;
  const message = typeof err?.message === 'string' ? err.message : '';
  if (status === undefined) {
    // fetch failures (reset, refused, timeout) surface without a status or as a RequestError 500.
    return /fetch failed|ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket hang up|network|aborted|SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT|Connection is closed|\bLOADING\b|\bREADONLY\b|MaxRetriesPerRequest/i.test(message) ? 'transient' : 'fatal';
  }
  if (status === 403 || status === 429) {
    const headers = err?.response?.headers ?? {};
    if (status === 429 || /rate limit/i.test(message) || headers['retry-after'] !== undefined || headers['x-ratelimit-remaining'] === '0') return 'transient';
    return 'gone';
  }
  if (status === 404 || status === 410) return 'gone';
  if (status >= 500) return 'transient';
  return 'fatal';
}
