// Minimal types for the parts of autocannon's programmatic API the benchmarks use (it ships none).
declare module 'autocannon' {
  export interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p99: number;
    /** Only on `requests`: how many were answered in the run. */
    total?: number;
  }
  export interface Result {
    url: string;
    requests: Histogram;
    latency: Histogram;
    throughput: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    statusCodeStats: Record<string, { count: number }>;
  }
  export interface Options {
    url: string;
    connections?: number;
    duration?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    /** Requests per second from all connections together (open-loop pacing); unlimited without it. */
    overallRate?: number;
    /** Cycled through in order; setupRequest may rewrite each request before it is sent. */
    requests?: {
      method?: string;
      path?: string;
      body?: string;
      headers?: Record<string, string>;
      setupRequest?: (req: { method?: string; path?: string; body?: string }) => {
        method?: string;
        path?: string;
        body?: string;
      };
    }[];
  }
  /** The run, which is also an event emitter: 'response' gives each response's status and time (ms). */
  export type Run = Promise<Result> & {
    on(
      event: 'response',
      listener: (client: unknown, statusCode: number, bytes: number, responseTime: number) => void,
    ): Run;
  };
  export default function autocannon(options: Options): Run;
}
