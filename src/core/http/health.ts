import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Broker } from '../mqtt/broker.ts';
import { dbMetrics, registry } from './metrics.ts';

const tags = ['operations'];

export async function healthRoutes(app: FastifyInstance, options: { broker: Broker | null }) {
  app.get(
    '/healthz',
    {
      config: { access: 'public', rateLimit: false },
      schema: {
        tags,
        summary: 'The process is up',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { access: 'public', rateLimit: false },
      schema: {
        tags,
        summary: 'The database and the MQTT broker are reachable',
        response: {
          '2xx': Type.Object({ status: Type.String(), database: Type.Boolean(), broker: Type.Boolean() }),
          503: Type.Object({ status: Type.String(), database: Type.Boolean(), broker: Type.Boolean() }),
        },
      },
    },
    async (_request, reply) => {
      const database = await app.db.ping();
      dbMetrics.up.set(database ? 1 : 0);
      const broker = options.broker ? options.broker.ready() : true;
      const ok = database && broker;
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not-ready', database, broker });
    },
  );

  app.get(
    '/metrics',
    {
      config: { access: 'public', rateLimit: false },
      schema: { tags, summary: 'Prometheus metrics', hide: true },
    },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );
}
