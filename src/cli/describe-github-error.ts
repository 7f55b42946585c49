/** A failed GitHub request, as Octokit reports it. */
type RequestFailure = {
  status?: unknown;
  message?: unknown;
  request?: { method?: string; url?: string };
  response?: { headers?: Record<string, string | undefined> };
};

/**
 * One line saying why a request to GitHub failed and what to do, or undefined when `error` is not
 * a failed GitHub request (a bug, reported as such). `target` names what was asked for
 * (`pull request o/r#12`); `now` is milliseconds since the epoch, for the rate-limit reset.
 *
 * @example
 *   describeGitHubError({ status: 401, message: 'Bad credentials' }, { target: 'repository o/r', anonymous: false, now: 0 })
 *   // → 'GitHub rejected the token in GITHUB_TOKEN (401 Bad credentials): it is wrong, expired or revoked'
 */
export function describeGitHubError(error: unknown, params: { target: string; anonymous: boolean; now: number }): string | undefined {
  const err = (error ?? {}) as RequestFailure;
  const status = typeof err.status === 'number' ? err.status : undefined;
  const message = typeof err.message === 'string' ? err.message.split('\n')[0]?.trim() ?? '' : '';
  const headers = err.response?.headers ?? {};
  const request = err.request?.url === undefined ? '' : `${err.request.method ?? 'GET'} ${requestPath(err.request.url)}`;
  const { target, anonymous } = params;

  if (status === undefined || (status === 500 && err.response === undefined)) {
    if (err.request === undefined) return undefined;
    return `cannot reach GitHub (${message || 'network error'}); check the connection and try again`;
  }
  if (status === 401) {
    return `GitHub rejected the token in GITHUB_TOKEN (401 ${message || 'Bad credentials'}): it is wrong, expired or revoked`;
  }
  if ((status === 403 || status === 429) && headers['x-ratelimit-remaining'] === '0') {
    const limit = Number(headers['x-ratelimit-limit'] ?? (anonymous ? 60 : 5000)).toLocaleString('en-US');
    const who = anonymous ? 'without a token' : 'for this token';
    const hint = anonymous ? '; set GITHUB_TOKEN for 5,000 requests per hour' : '';
    return `GitHub's rate limit is used up (${limit} requests per hour ${who}); it resets ${resetTime(headers['x-ratelimit-reset'], params.now)}${hint}`;
  }
  if (status === 429 || (status === 403 && (headers['retry-after'] !== undefined || /rate limit/i.test(message)))) {
    const after = Number(headers['retry-after']);
    const wait = Number.isFinite(after) && after > 0 ? `in ${after} seconds` : 'in a minute or more';
    return `GitHub's secondary rate limit stopped the run (too many requests in a short time); try again ${wait}`;
  }
  if (status === 403) {
    return `GitHub refused to show ${target} (403${message === '' ? '' : ` ${message}`})${anonymous ? '; a token (GITHUB_TOKEN) may be needed' : ''}`;
  }
  if (status === 404) {
    const why = anonymous ? 'check the name; a private repository needs GITHUB_TOKEN' : 'check the name, and that the token in GITHUB_TOKEN can read the repository';
    return `${target} not found${request === '' ? '' : ` (${request} answered 404)`}: ${why}`;
  }
  if (status >= 500) return `GitHub answered ${status}${request === '' ? '' : ` to ${request}`}; try again later`;
  return `GitHub answered ${status}${request === '' ? '' : ` to ${request}`}${message === '' ? '' : `: ${message}`}`;
}

function requestPath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/** `at 14:05 UTC (in 23 minutes)` from `x-ratelimit-reset` (seconds since the epoch). */
function resetTime(header: string | undefined, now: number): string {
  const seconds = Number(header);
  if (header === undefined || !Number.isFinite(seconds) || seconds <= 0) return 'within the hour';
  const at = new Date(seconds * 1000);
  const minutes = Math.max(0, Math.ceil((seconds * 1000 - now) / 60_000));
  const clock = `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')} UTC`;
  return `at ${clock} (in ${minutes} minute${minutes === 1 ? '' : 's'})`;
}
