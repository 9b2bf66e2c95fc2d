// Per-caller rate limits, kept in this process's memory: a brake on a runaway script or a stuck
// key, not a rule of billing (every replica counts on its own, which a brake tolerates).

/** What a limiter answers: go ahead, or wait this many seconds. */
export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one use by `key` at `now` and says whether it is within the limit. */
  take(key: string, now?: Date): RateDecision;
  /**
   * Says whether `key` may use once more at `now`, without counting a use: for limits on
   * failures, which are counted with `take` only once they happened.
   */
  check(key: string, now?: Date): RateDecision;
}

/** At most `limit` uses per `windowMs` for each key, over a sliding window. */
export function createRateLimiter(limit: number, windowMs: number): RateLimiter {
  const uses = new Map<string, number[]>();

  const decide = (recent: number[], at: number): RateDecision => {
    if (recent.length < limit) return { ok: true };
    const oldest = recent[0] ?? at;
    return {
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - at) / 1000)),
    };
  };
  const recentUses = (key: string, at: number) =>
    (uses.get(key) ?? []).filter((used) => at - used < windowMs);

  return {
    take(key, now = new Date()) {
      const at = now.getTime();
      const recent = recentUses(key, at);
      const decision = decide(recent, at);
      if (decision.ok) recent.push(at);
      uses.set(key, recent);
      // Forget keys that went quiet, so the map does not grow with every caller ever seen.
      if (uses.size > 10_000) {
        for (const [other, times] of uses) {
          if (times.every((used) => at - used >= windowMs)) uses.delete(other);
        }
      }
      return decision;
    },
    check(key, now = new Date()) {
      const at = now.getTime();
      return decide(recentUses(key, at), at);
    },
  };
}
