/** The slice of autocannon 9's options and result that bench/lib.ts passes to and reads from its child process (no types ship with it). */
declare module 'autocannon' {
  export interface Options {
    url: string
    connections?: number
    pipelining?: number
    /** Seconds. */
    duration?: number
    /** Milliseconds between samples; a run ends at the first sample after `duration`. */
    sampleInt?: number
    method?: string
    headers?: Record<string, string>
    body?: string
  }

  export interface Histogram {
    average: number
    mean: number
    stddev: number
    min: number
    max: number
    total: number
    p50: number
    p99: number
  }

  export interface Result {
    /** Seconds actually run. */
    duration: number
    requests: Histogram & { sent: number }
    latency: Histogram
    errors: number
    timeouts: number
    non2xx: number
    resets: number
    statusCodeStats: Record<string, { count: number }>
  }
}
