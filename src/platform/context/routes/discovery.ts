import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../errors.ts';
import { personalTypes } from '../model.ts';
import { textArray } from '../qsql.ts';
import type { ContextService } from '../service.ts';
import { contextOf, negotiate, sendData, tenantOf } from './http.ts';
import { AttrIdParams, TypeParams, tags } from './schemas.ts';

const read = { access: 'public' as const };

function visible(request: FastifyRequest) {
  return request.principal === null ? sql`NOT (e.types && ${textArray(personalTypes)})` : sql`true`;
}

function details(request: FastifyRequest): boolean {
  return (request.query as { details?: string }).details === 'true';
}

export async function discoveryRoutes(app: FastifyInstance, opts: { service: ContextService }) {
  const repo = opts.service.repo;

  app.get(
    '/types',
    { config: read, schema: { tags, summary: 'Available entity types' } },
    async (request, reply) => {
      const ctx = contextOf(request);
      const stats = await repo.typeStats(tenantOf(request), visible(request));
      const rep = negotiate(request, false);
      if (details(request))
        return sendData(
          reply,
          ctx,
          rep,
          stats.map((s) => ({
            id: s.type,
            type: 'EntityType',
            typeName: ctx.compact(s.type),
            attributeNames: s.attrs.map((a) => ctx.compact(a)),
          })),
        );
      return sendData(reply, ctx, rep, {
        id: `urn:ngsi-ld:EntityTypeList:${randomUUID()}`,
        type: 'EntityTypeList',
        typeList: stats.map((s) => ctx.compact(s.type)),
      });
    },
  );

  app.get(
    '/types/:type',
    { config: read, schema: { tags, summary: 'Details of an entity type', params: TypeParams } },
    async (request, reply) => {
      const ctx = contextOf(request);
      const iri = ctx.expand((request.params as { type: string }).type);
      const tenant = tenantOf(request);
      const [stat] = (
        await repo.typeStats(tenant, sql`${visible(request)} AND ${iri} = ANY(e.types)`)
      ).filter((s) => s.type === iri);
      if (!stat) throw notFound(`no entities of type ${iri}`);
      const attrs = await repo.attributeStats(tenant, sql`${visible(request)} AND ${iri} = ANY(e.types)`);
      return sendData(reply, ctx, negotiate(request, false), {
        id: iri,
        type: 'EntityTypeInfo',
        typeName: ctx.compact(iri),
        entityCount: stat.count,
        attributeDetails: attrs.map((a) => ({
          id: a.attr,
          type: 'Attribute',
          attributeName: ctx.compact(a.attr),
          attributeTypes: a.attrTypes.filter(Boolean),
        })),
      });
    },
  );

  app.get(
    '/attributes',
    { config: read, schema: { tags, summary: 'Available attributes' } },
    async (request, reply) => {
      const ctx = contextOf(request);
      const stats = await repo.attributeStats(tenantOf(request), visible(request));
      const rep = negotiate(request, false);
      if (details(request))
        return sendData(
          reply,
          ctx,
          rep,
          stats.map((a) => ({
            id: a.attr,
            type: 'Attribute',
            attributeName: ctx.compact(a.attr),
            attributeCount: a.count,
            attributeTypes: a.attrTypes.filter(Boolean),
            typeNames: a.types.map((t) => ctx.compact(t)),
          })),
        );
      return sendData(reply, ctx, rep, {
        id: `urn:ngsi-ld:AttributeList:${randomUUID()}`,
        type: 'AttributeList',
        attributeList: stats.map((a) => ctx.compact(a.attr)),
      });
    },
  );

  app.get(
    '/attributes/:attrId',
    { config: read, schema: { tags, summary: 'Details of an attribute', params: AttrIdParams } },
    async (request, reply) => {
      const ctx = contextOf(request);
      const iri = ctx.expand((request.params as { attrId: string }).attrId);
      const stats = await repo.attributeStats(
        tenantOf(request),
        sql`${visible(request)} AND e.attr_names @> ARRAY[${iri}]::text[]`,
      );
      const a = stats.find((s) => s.attr === iri);
      if (!a) throw notFound(`no attribute ${iri}`);
      return sendData(reply, ctx, negotiate(request, false), {
        id: a.attr,
        type: 'Attribute',
        attributeName: ctx.compact(a.attr),
        attributeCount: a.count,
        attributeTypes: a.attrTypes.filter(Boolean),
        typeNames: a.types.map((t) => ctx.compact(t)),
      });
    },
  );
}
