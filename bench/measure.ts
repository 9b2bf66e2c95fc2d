// The bench's measuring tools: a closed loop of concurrent workers, percentiles and medians.
// Times come from performance.now(), in milliseconds.

export interface LoopResult {
  /** Operations completed. */
  count: number;
  elapsedMs: number;
}

/**
 * Runs `operation` from `workers` loops at once, each starting its next operation as soon as
 * the last one finished, while `more(started, elapsedMs)` says so. An operation that throws
 * stops the run: a benchmark of failing requests measures nothing.
 */
export async function closedLoop(
  workers: number,
  operation: (index: number) => Promise<void>,
  more: (started: number, elapsedMs: number) => boolean,
): Promise<LoopResult> {
  const start = performance.now();
  let started = 0;
  let count = 0;

  const worker = async () => {
    while (more(started, performance.now() - start)) {
      const index = started++;
      await operation(index);
      count++;
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return { count, elapsedMs: performance.now() - start };
}

/** Runs `operation` once per item of `items`, `workers` at a time. */
export function eachConcurrently<T>(
  workers: number,
  items: readonly T[],
  operation: (item: T) => Promise<void>,
): Promise<LoopResult> {
  return closedLoop(
    workers,
    (index) => operation(items[index] as T),
    (started) => started < items.length,
  );
}

/** The value at percentile `p` (0 to 100) of `values`, by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export const median = (values: readonly number[]) => percentile(values, 50);

/** How long `work` took, in ms. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `promise`, or a rejection naming `what` after `ms`. */
export function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
