import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { RequestMetrics } from './request-metrics.ts';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'mueang_' });

export const httpMetrics = new RequestMetrics(
  'mueang_http_requests_total',
  'mueang_http_request_duration_seconds',
  [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
);
httpMetrics.register(
  registry,
  'HTTP requests by method, route and status',
  'HTTP request duration by method and route',
);

export const dbMetrics = {
  queryDuration: new Histogram({
    name: 'mueang_db_query_duration_seconds',
    help: 'Duration of database statements outside transactions',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  }),
  queryErrors: new Counter({
    name: 'mueang_db_query_errors_total',
    help: 'Database statements that failed',
    registers: [registry],
  }),
  transactionDuration: new Histogram({
    name: 'mueang_db_transaction_duration_seconds',
    help: 'Duration of database transactions',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  }),
  up: new Gauge({
    name: 'mueang_db_up',
    help: '1 when the last readiness check reached the database',
    registers: [registry],
  }),
};
