/** What `take` says: go ahead, over the limit (tell the user once), or over it again (stay quiet). */
export type RateDecision = 'ok' | 'limited-notice' | 'limited';

export type RateLimit = { take(key: string): RateDecision };

/**
 * An in-memory sliding-window limit per key (one issue or pull request): at most `limit` calls in
 * any `windowMs`. The first refused call in a window is told so; later ones are refused quietly,
 * so a flood of questions gets one notice, not one reply each. State lives in this process only,
 * so a restart or a second replica starts afresh. Keys whose window has passed are dropped when
 * the map grows, so it cannot grow without bound.
 *
 * @example
 *   const limit = createRateLimit({ limit: 2, windowMs: 3_600_000, now: Date.now });
 *   limit.take('o/r#1'); limit.take('o/r#1'); // 'ok', 'ok'
 *   limit.take('o/r#1'); limit.take('o/r#1'); // 'limited-notice', 'limited'
 */
export function createRateLimit(params: { limit: number; windowMs: number; now: () => number }): RateLimit {
  const { limit, windowMs, now } = params;
  const calls = new Map<string, { times: number[]; noticed: boolean }>();
  return {
    take(key) {
      const t = now();
      if (calls.size > 10_000) for (const [k, v] of calls) if (v.times.every((x) => x <= t - windowMs)) calls.delete(k);
      const entry = calls.get(key) ?? { times: [], noticed: false };
      entry.times = entry.times.filter((x) => x > t - windowMs);
      calls.set(key, entry);
      if (entry.times.length < limit) {
        entry.times.push(t);
        entry.noticed = false;
        return 'ok';
      }
      if (entry.noticed) return 'limited';
      entry.noticed = true;
      return 'limited-notice';
    },
  };
}
