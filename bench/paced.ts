// An open-loop load at a fixed rate, for "p99 at the target rate" figures. autocannon's `overallRate`
// is not that: each connection sends its share of a second's requests back to back at every second's
// tick and then waits (bursts of 100 at once), and it records each latency with HdrHistogram's
// coordinated-omission correction at an expected interval of ceil(1 / rate) ms = 1 ms, which adds a
// synthetic sample for every millisecond of a slow answer. Both inflate the p99 at a low rate (measured
// 2026-11-26: 100 POSTs/s gave p50 63 ms, p99 354 ms, against 4 ms for one POST by curl).
// Here request i is due at start + i / rate; it goes out on a free keep-alive socket of at most
// `connections`, and its latency counts from when it was due, so waiting for a socket behind slow
// answers is counted too (no coordinated omission).
import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface PacedRequest {
  method?: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

/** The fields of autocannon's Result the benches read, so either can be reported. */
export interface PacedResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
}

/** Percentile p (0–100) of sorted values, nearest rank. */
function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Sends `rate × seconds` requests to `url` (its origin; paths from `request(i)`), each at its due time,
 * and resolves when all are answered: the achieved rate (answers over the time from the first due time
 * to the last answer) and latency percentiles in whole ms, as autocannon reports them.
 */
export async function paced(options: {
  url: string;
  rate: number;
  seconds: number;
  connections: number;
  request: (i: number) => PacedRequest;
}): Promise<PacedResult> {
  const { rate, connections } = options;
  const n = Math.max(1, Math.round(rate * options.seconds));
  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies = new Float64Array(n);
  let non2xx = 0;
  let errors = 0;
  let answered = 0;
  let last = 0;
  const start = performance.now();
  await new Promise<void>((done) => {
    const finish = (i: number) => {
      last = performance.now();
      latencies[i] = last - (start + (i * 1000) / rate);
      if (++answered === n) done();
    };
    const send = (i: number) => {
      const r = options.request(i);
      const headers: Record<string, string | number> = { ...r.headers };
      if (r.body !== undefined) headers['content-length'] = Buffer.byteLength(r.body);
      const req = httpRequest(
        { agent, host: target.hostname, port: target.port, method: r.method ?? 'GET', path: r.path, headers },
        (res) => {
          if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) non2xx++;
          res.resume();
          res.on('end', () => finish(i));
          res.on('error', () => {
            errors++;
            finish(i);
          });
        },
      );
      req.on('error', () => {
        errors++;
        finish(i);
      });
      req.end(r.body);
    };
    let sent = 0;
    const tick = () => {
      const due = Math.min(n, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (sent < due) send(sent++);
      if (sent < n) setTimeout(tick, 1);
    };
    tick();
  });
  agent.destroy();
  const sorted = latencies.sort();
  const elapsed = Math.max(1, last - start) / 1000;
  return {
    requests: { average: answered / elapsed, total: answered },
    latency: {
      p50: Math.round(percentile(sorted, 50)),
      p99: Math.round(percentile(sorted, 99)),
      max: Math.round(sorted[sorted.length - 1]),
    },
    non2xx,
    errors,
  };
}
