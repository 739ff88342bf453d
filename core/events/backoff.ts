/**
 * When a failed delivery is tried again: exponential back-off with "equal jitter". The n-th
 * retry waits between half and all of `base * 2^(n-1)`, capped at `max`: waits grow fast
 * enough to spare a struggling receiver, the random half spreads retries of many deliveries
 * that failed together (an outage) so they do not return as one wave, and the fixed half
 * keeps any retry from coming back almost at once.
 */
export interface Backoff {
  readonly baseMs: number
  readonly maxMs: number
}

/** Milliseconds to wait after the `failures`-th failed attempt (1 = the first failure). */
export function retryDelayMs(failures: number, backoff: Backoff, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 40)
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** exponent)
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}
