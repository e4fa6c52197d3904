import type { FastifyInstance } from 'fastify';
import { badData } from '../errors.ts';
import { compileQuery, type EntityQueryParams } from '../query.ts';
import { renderEntity } from '../render.ts';
import type { BatchOp, ContextService } from '../service.ts';
import { contextOf, negotiate, sendData, simplifiedInput, tenantOf } from './http.ts';
import { EntityQuery, tags } from './schemas.ts';

const batchBodyLimit = 50 * 1024 * 1024;
const maxBatch = 20_000;
const ops: BatchOp[] = ['create', 'upsert', 'update', 'delete', 'merge'];

export async function batchRoutes(app: FastifyInstance, opts: { service: ContextService }) {
  const service = opts.service;

  for (const op of ops) {
    app.post(
      `/entityOperations/${op}`,
      {
        bodyLimit: batchBodyLimit,
        config: { access: 'staff' },
        schema: { tags, summary: `Batch ${op} (207 with per-entity errors)`, querystring: EntityQuery },
      },
      async (request, reply) => {
        const body = request.body;
        if (!Array.isArray(body)) throw badData('a batch body is a JSON array');
        if (body.length === 0) throw badData('a batch needs at least one entity');
        if (body.length > maxBatch) throw badData(`a batch may hold at most ${maxBatch} entities`);
        const ctx = op === 'delete' ? contextOf(request) : contextOf(request, body);
        const options = new Set(((request.query as { options?: string }).options ?? '').split(','));
        const result = await service.batch(op, tenantOf(request), ctx, body, request.actor(), {
          noOverwrite: options.has('noOverwrite'),
          upsertUpdate: options.has('update'),
          simplified: simplifiedInput(request),
        });
        if (result.errors.length === 0) {
          if (op === 'create' || (op === 'upsert' && result.success.length)) {
            return reply
              .code(op === 'create' ? 201 : 204)
              .type('application/json')
              .send(op === 'create' ? result.success : undefined);
          }
          return reply.code(204).send();
        }
        return reply.code(207).type('application/json').send(result);
      },
    );
  }

  app.post(
    '/entityOperations/query',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'Query entities with a Query body', querystring: EntityQuery },
    },
    async (request, reply) => {
      const body = request.body as Record<string, unknown> | null;
      if (!body || typeof body !== 'object' || Array.isArray(body))
        throw badData('the body is a Query object');
      const ctx = contextOf(request, body);
      const rep = negotiate(request, false);
      const entities = Array.isArray(body.entities) ? (body.entities as Record<string, unknown>[]) : [];
      const geoQ = (body.geoQ ?? {}) as Record<string, unknown>;
      const q = request.query as EntityQueryParams;
      const params: EntityQueryParams = {
        ...q,
        id:
          entities
            .map((e) => e.id)
            .filter((x): x is string => typeof x === 'string')
            .join(',') || undefined,
        type:
          entities
            .map((e) => e.type)
            .filter((x): x is string => typeof x === 'string')
            .join(',') || undefined,
        idPattern: entities.find((e) => typeof e.idPattern === 'string')?.idPattern as string | undefined,
        attrs: Array.isArray(body.attrs) ? body.attrs.join(',') : undefined,
        q: typeof body.q === 'string' ? body.q : undefined,
        georel: geoQ.georel as string | undefined,
        geometry: geoQ.geometry as string | undefined,
        coordinates: geoQ.coordinates === undefined ? undefined : JSON.stringify(geoQ.coordinates),
        geoproperty: geoQ.geoproperty as string | undefined,
      };
      const c = compileQuery(params, ctx, request.principal === null);
      const tenant = tenantOf(request);
      const rows = await service.repo.query(tenant, c.where, c);
      if (c.count) reply.header('NGSILD-Results-Count', String(await service.repo.count(tenant, c.where)));
      return sendData(
        reply,
        ctx,
        rep,
        rows.map((e) => renderEntity(e, ctx, c.render)),
      );
    },
  );
}
