import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'mueang_' });

export const httpMetrics = {
  requests: new Counter({
    name: 'mueang_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  }),
  duration: new Histogram({
    name: 'mueang_http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  }),
};

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
