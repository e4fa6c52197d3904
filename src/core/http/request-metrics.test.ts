import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RequestMetrics } from './request-metrics.ts';

const bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const requests: [string, string, number, number][] = [
  ['GET', '/api/me', 200, 0.0004],
  ['GET', '/api/me', 200, 0.005],
  ['GET', '/api/me', 401, 0.02],
  ['POST', '/api/tokens', 201, 0.3],
  ['GET', '/api/me', 200, 7],
  ['GET', 'unmatched', 404, 0.001],
];

describe('RequestMetrics', () => {
  it('renders what prom-client Counter and Histogram render for the same requests', async () => {
    const reference = new Registry();
    const counter = new Counter({
      name: 'x_requests_total',
      help: 'requests',
      labelNames: ['method', 'route', 'status'],
      registers: [reference],
    });
    const histogram = new Histogram({
      name: 'x_duration_seconds',
      help: 'duration',
      labelNames: ['method', 'route'],
      buckets: bounds,
      registers: [reference],
    });
    const ours = new Registry();
    const metrics = new RequestMetrics('x_requests_total', 'x_duration_seconds', bounds);
    metrics.register(ours, 'requests', 'duration');
    for (const [method, route, status, seconds] of requests) {
      counter.inc({ method, route, status: String(status) });
      histogram.observe({ method, route }, seconds);
      metrics.record(method, route, status, seconds);
    }
    expect(await ours.metrics()).toBe(await reference.metrics());
    expect(await ours.metrics()).toContain(
      'x_duration_seconds_bucket{le="0.005",method="GET",route="/api/me"} 2',
    );
    ours.resetMetrics();
    expect(await ours.metrics()).not.toContain('route="/api/me"');
  });
});
