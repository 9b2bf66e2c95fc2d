import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../src/rate-limit.ts';

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 4, 12, 0, seconds));

describe('createRateLimiter', () => {
  it('allows the limit in a window, then says how long to wait, per key', () => {
    const limiter = createRateLimiter(3, 60_000);

    const first = [0, 10, 20].map((second) => limiter.take('slack:U0ADA', at(second)).ok);
    const fourth = limiter.take('slack:U0ADA', at(30));
    const someoneElse = limiter.take('slack:U0BOB', at(30));

    expect(first).toEqual([true, true, true]);
    // The first use, at 0 s, leaves the window at 60 s: 30 s from now.
    expect(fourth).toEqual({ ok: false, retryAfterSeconds: 30 });
    expect(someoneElse).toEqual({ ok: true });
  });

  it('lets a key in again once its oldest use leaves the window, and refusals do not count', () => {
    const limiter = createRateLimiter(2, 60_000);
    limiter.take('ip', at(0));
    limiter.take('ip', at(1));
    expect(limiter.take('ip', at(2)).ok).toBe(false);
    expect(limiter.take('ip', at(3)).ok).toBe(false);

    expect(limiter.take('ip', at(60)).ok).toBe(true);
    expect(limiter.take('ip', at(61)).ok).toBe(true);
    expect(limiter.take('ip', at(62))).toEqual({ ok: false, retryAfterSeconds: 58 });
  });

  it('checks a key without counting a use, so only failures need to be taken', () => {
    const limiter = createRateLimiter(2, 60_000);

    const checks = [0, 1, 2].map((second) => limiter.check('slack:T0LINK', at(second)).ok);
    limiter.take('slack:T0LINK', at(3));
    limiter.take('slack:T0LINK', at(4));

    expect(checks).toEqual([true, true, true]);
    // The first failure, at 3 s, leaves the window at 63 s: 53 s after 10 s.
    expect(limiter.check('slack:T0LINK', at(10))).toEqual({ ok: false, retryAfterSeconds: 53 });
    expect(limiter.check('slack:T0LINK', at(63)).ok).toBe(true);
  });
});
