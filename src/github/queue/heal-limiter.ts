type Callback = (error: Error | null, replies?: unknown) => void;
type ScriptConnection = { __scriptFn__?: (name: string) => (...args: unknown[]) => unknown; ftbotHealed?: boolean };

/**
 * Lets the shared rate limiter (Bottleneck on Redis, which Probot sets up with `REDIS_URL`)
 * recover when Redis loses its state. Bottleneck re-creates its settings when a script answers
 * exactly `SETTINGS_KEY_NOT_FOUND` (or `UNKNOWN_CLIENT`), but Redis 7 prefixes script errors
 * with `ERR `, so every request failed until the process restarted. This strips the prefix from
 * those two answers on the connection, once. Anything that is not such a connection is left alone.
 */
export function healLimiterConnection(connection: unknown): void {
  const c = connection as ScriptConnection | null | undefined;
  if (c === null || c === undefined || typeof c.__scriptFn__ !== 'function' || c.ftbotHealed === true) return;
  const original = c.__scriptFn__.bind(c);
  c.ftbotHealed = true;
  c.__scriptFn__ = (name: string) => {
    const fn = original(name);
    return (...args: unknown[]) => {
      const last = args.at(-1);
      if (typeof last === 'function') {
        const cb = last as Callback;
        args[args.length - 1] = (error: Error | null, replies?: unknown) => {
          if (error !== null && error !== undefined) {
            const bare = /^ERR (SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT)\b/.exec(error.message)?.[1];
            if (bare !== undefined) error.message = bare;
          }
          cb(error, replies);
        };
      }
      return fn(...args);
    };
  };
}
