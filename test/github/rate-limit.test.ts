import { describe, expect, it } from 'vitest';
import { createRateLimit } from '../../src/github/rate-limit.js';

describe('answer limit', () => {
  it('allows `limit` calls per window and notices the first refusal only', () => {
    let now = 0;
    const limit = createRateLimit({ limit: 2, windowMs: 1000, now: () => now });
    expect(['a', 'a', 'a', 'a', 'b'].map((k) => limit.take(k))).toEqual(['ok', 'ok', 'limited-notice', 'limited', 'ok']);
    now = 1001;
    expect(limit.take('a')).toBe('ok');
  });
});
