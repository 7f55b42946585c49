import { Octokit } from '@octokit/rest';
import { config } from '@probot/octokit-plugin-config';

/** `@octokit/rest` with Probot's config plugin, so `context.config` reads `.github/ftbot.yml` as the app does. */
const RestWithConfig = Octokit.plugin(config);

export type DryRunOctokit = InstanceType<typeof RestWithConfig> & {
  /** The first rate-limit error a request met; later requests fail with it without being sent. */
  rateLimitError: () => Error | undefined;
};

/** A 403 or 429 that is GitHub's primary or secondary rate limit. */
export function isRateLimitError(error: unknown): boolean {
  const err = error as { status?: unknown; message?: unknown; response?: { headers?: Record<string, string | undefined> } } | null;
  if (err?.status !== 403 && err?.status !== 429) return false;
  const headers = err.response?.headers ?? {};
  return err.status === 429 || headers['x-ratelimit-remaining'] === '0' || headers['retry-after'] !== undefined || /rate limit/i.test(typeof err.message === 'string' ? err.message : '');
}

/**
 * The client of a dry run against real GitHub: a personal token or anonymous, no retries and no
 * throttling waits (a dry run fails fast and says why). Once GitHub answers with a rate limit,
 * nothing more is sent: the run stops with that error instead of going on with missing files.
 */
export function dryRunOctokit(params: { token?: string | undefined; fetch: typeof fetch; userAgent: string; baseUrl?: string | undefined }): DryRunOctokit {
  const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  const octokit = new RestWithConfig({
    ...(params.token === undefined ? {} : { auth: params.token }),
    ...(params.baseUrl === undefined ? {} : { baseUrl: params.baseUrl }),
    userAgent: params.userAgent,
    log: quiet,
    request: { fetch: params.fetch },
  });
  let limited: Error | undefined;
  octokit.hook.wrap('request', async (request, options) => {
    if (limited !== undefined) throw limited;
    try {
      return await request(options);
    } catch (error) {
      // Octokit's request errors are `RequestError`s, so an `Error`.
      if (isRateLimitError(error) && error instanceof Error) limited = error;
      throw error;
    }
  });
  return Object.assign(octokit, { rateLimitError: () => limited });
}
