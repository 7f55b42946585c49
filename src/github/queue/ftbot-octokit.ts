import { ProbotOctokit } from 'probot';
import { healLimiterConnection } from './heal-limiter.js';

type Options = Record<string, unknown>;
type Limited = { method?: string; url?: string };
type Log = { warn: (fields: object, message: string) => void };

/**
 * Octokit for the app: Probot's, with rate-limit handlers that wait instead of giving up.
 *
 * Probot's app-level defaults only log a secondary rate limit (a 403 "secondary rate limit"),
 * so the comment would be lost. Here the throttling plugin waits for `retry-after` (60 s when
 * absent) and tries again, up to `maxRetries` times, and waits for the primary limit's reset when
 * it is near. Retries of transient 5xx stay with Probot's retry plugin. With `REDIS_URL`, Probot
 * adds the Redis connection. The throttle id is `ftbot:<installation id>` (Probot sets the
 * installation's id; the app's own client is `ftbot`), so every instance shares one set of
 * limiters per installation, and one installation's writes never queue behind another's.
 *
 * @param params.retryAfterBaseValue
 *   Milliseconds per second of `retry-after` (1000). Tests shrink it to keep waits short.
 * @param params.maxWaitSeconds
 *   Longest wait accepted before giving up on a request (the job can still be retried).
 */
export function ftbotOctokit(params: { base?: typeof ProbotOctokit; maxRetries?: number; maxWaitSeconds?: number; retryAfterBaseValue?: number; throttle?: Options } = {}): typeof ProbotOctokit {
  const { base = ProbotOctokit, maxRetries = 3, maxWaitSeconds = 15 * 60, retryAfterBaseValue = 1000 } = params;
  return base.defaults<typeof ProbotOctokit>((o: Options) => {
    healLimiterConnection((o.throttle as Options | undefined)?.connection);
    return {
    ...o,
    throttle: {
      ...(o.throttle as Options | undefined),
      id: throttleId((o.throttle as Options | undefined)?.id),
      retryAfterBaseValue,
      onSecondaryRateLimit: (retryAfter: number, options: Limited, octokit: { log: Log }, retryCount: number) => {
        const retry = retryCount < maxRetries && retryAfter <= maxWaitSeconds;
        octokit.log.warn({ method: options.method, url: options.url, retryAfter, retryCount, retry }, 'secondary rate limit');
        return retry;
      },
      onRateLimit: (retryAfter: number, options: Limited, octokit: { log: Log }, retryCount: number) => {
        const retry = retryCount < 2 && retryAfter <= maxWaitSeconds;
        octokit.log.warn({ method: options.method, url: options.url, retryAfter, retryCount, retry }, 'rate limit');
        return retry;
      },
      ...params.throttle,
    },
    };
  });
}

/** The limiter key: one per installation, shared by every instance. */
function throttleId(installation: unknown): string {
  return typeof installation === 'string' && installation !== '' && installation !== 'no-id' ? `ftbot:${installation}` : 'ftbot';
}
