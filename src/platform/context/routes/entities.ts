import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NgsiError, notFound } from '../errors.ts';
import { planAppend, planDeleteAttr, planMerge, planPatchAttr, planReplace, planUpdate } from '../merge.ts';
import type { Attr } from '../model.ts';
import { personalTypes } from '../model.ts';
import { compileQuery, type EntityQueryParams } from '../query.ts';
import { renderEntity, toFeature } from '../render.ts';
import type { ContextService } from '../service.ts';
import { readSlot } from '../validate.ts';
import { contextOf, negotiate, sendData, simplifiedInput, tenantOf } from './http.ts';
import { AttrParams, EntityQuery, IdParams, tags } from './schemas.ts';

type Q = EntityQueryParams & Record<string, string | undefined>;
const read = { access: 'public' as const };
const write = { access: 'staff' as const };

function optionSet(request: FastifyRequest): Set<string> {
  return new Set(((request.query as Q).options ?? '').split(','));
}

export async function entityRoutes(app: FastifyInstance, opts: { service: ContextService }) {
  const service = opts.service;

  app.post(
    '/entities',
    { config: write, schema: { tags, summary: 'Create an entity' } },
    async (request, reply) => {
      const ctx = contextOf(request, request.body);
      const id = await service.create(
        tenantOf(request),
        ctx,
        request.body,
        request.actor(),
        simplifiedInput(request),
      );
      return reply
        .code(201)
        .header('location', `/ngsi-ld/v1/entities/${encodeURIComponent(id)}`)
        .send();
    },
  );

  app.get(
    '/entities',
    { config: read, schema: { tags, summary: 'Query entities', querystring: EntityQuery } },
    async (request, reply) => {
      const ctx = contextOf(request);
      const rep = negotiate(request);
      const p = request.query as Q;
      const anonymous = request.principal === null;
      const c = compileQuery(p, ctx, anonymous);
      const tenant = tenantOf(request);
      const [rows, total] = await Promise.all([
        service.repo.query(tenant, c.where, c),
        c.count ? service.repo.count(tenant, c.where) : Promise.resolve(null),
      ]);
      if (total !== null) reply.header('NGSILD-Results-Count', String(total));
      if (rep === 'geo') {
        const geoprop = p.geometryProperty ? ctx.expand(p.geometryProperty) : undefined;
        return sendData(reply, ctx, rep, {
          type: 'FeatureCollection',
          features: rows.map((e) => toFeature(e, ctx, c.render, geoprop)),
        });
      }
      return sendData(
        reply,
        ctx,
        rep,
        rows.map((e) => renderEntity(e, ctx, c.render)),
      );
    },
  );

  app.get(
    '/entities/:id',
    {
      config: read,
      schema: { tags, summary: 'Retrieve an entity', params: IdParams, querystring: EntityQuery },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const rep = negotiate(request);
      const { id } = request.params as { id: string };
      const p = request.query as Q;
      const anonymous = request.principal === null;
      const e = await service.get(tenantOf(request), id);
      if (anonymous && e.types.some((t) => personalTypes.includes(t))) throw notFound(`no entity ${id}`);
      const { render } = compileQuery(
        {
          ...p,
          id: undefined,
          q: undefined,
          type: undefined,
          georel: undefined,
          geometry: undefined,
          coordinates: undefined,
        },
        ctx,
        anonymous,
        { requireFilter: false },
      );
      if (rep === 'geo')
        return sendData(
          reply,
          ctx,
          rep,
          toFeature(e, ctx, render, p.geometryProperty ? ctx.expand(p.geometryProperty) : undefined),
        );
      return sendData(reply, ctx, rep, renderEntity(e, ctx, render));
    },
  );

  app.delete(
    '/entities/:id',
    { config: write, schema: { tags, summary: 'Delete an entity', params: IdParams } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      await service.delete(tenantOf(request), id, request.actor());
      return reply.code(204).send();
    },
  );

  /** 204 when everything was written, else 207 with what was and was not (UpdateResult). */
  const updateResult = (
    request: FastifyRequest,
    written: string[],
    notUpdated: { attributeName: string; reason: string }[],
  ) => {
    const ctx = contextOf(request);
    return {
      updated: [...new Set(written)].map((n) => ctx.compact(n)),
      notUpdated: notUpdated.map((n) => ({ ...n, attributeName: ctx.compact(n.attributeName) })),
    };
  };

  app.post(
    '/entities/:id/attrs',
    {
      config: write,
      schema: { tags, summary: 'Append attributes', params: IdParams, querystring: EntityQuery },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const ctx = contextOf(request, request.body);
      const noOverwrite = optionSet(request).has('noOverwrite');
      const plan = await service.change(
        tenantOf(request),
        id,
        'ngsi-ld.entity.append',
        request.actor(),
        async (before, at, tx) =>
          planAppend(
            before,
            await service.fragment(tx, request.body, ctx, id, false, simplifiedInput(request)),
            at,
            noOverwrite,
          ),
      );
      if (plan.notUpdated.length === 0) return reply.code(204).send();
      return reply
        .code(207)
        .type('application/json')
        .send(
          updateResult(
            request,
            plan.written.map(([n]) => n),
            plan.notUpdated,
          ),
        );
    },
  );

  app.patch(
    '/entities/:id/attrs',
    { config: write, schema: { tags, summary: 'Update attributes', params: IdParams } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const ctx = contextOf(request, request.body);
      const plan = await service.change(
        tenantOf(request),
        id,
        'ngsi-ld.entity.update',
        request.actor(),
        async (before, at, tx) =>
          planUpdate(
            before,
            await service.fragment(tx, request.body, ctx, id, false, simplifiedInput(request)),
            at,
          ),
      );
      if (plan.notUpdated.length === 0) return reply.code(204).send();
      return reply
        .code(207)
        .type('application/json')
        .send(
          updateResult(
            request,
            plan.written.map(([n]) => n),
            plan.notUpdated,
          ),
        );
    },
  );

  app.patch(
    '/entities/:id/attrs/:attrId',
    { config: write, schema: { tags, summary: 'Partially update one attribute', params: AttrParams } },
    async (request, reply) => {
      const { id, attrId } = request.params as { id: string; attrId: string };
      const ctx = contextOf(request, request.body);
      const name = ctx.expand(attrId);
      await service.change(
        tenantOf(request),
        id,
        'ngsi-ld.entity.attribute.update',
        request.actor(),
        (before, at) => {
          const body = request.body as Record<string, unknown> | null;
          if (!body || typeof body !== 'object' || Array.isArray(body))
            throw new NgsiError('BadRequestData', 'the body must be a JSON object');
          const existing = before.attrs[name];
          if (existing === undefined) throw notFound(`the entity has no attribute ${attrId}`);
          const { '@context': _, ...fields } = body;
          const old = (Array.isArray(existing) ? existing[0] : existing) as Attr;
          const patch = readSlot({ type: old.type, ...fields }, attrId, ctx);
          if (Array.isArray(patch)) throw new NgsiError('BadRequestData', 'patch one instance at a time');
          return planPatchAttr(before, name, patch, at);
        },
      );
      return reply.code(204).send();
    },
  );

  app.delete(
    '/entities/:id/attrs/:attrId',
    {
      config: write,
      schema: { tags, summary: 'Delete an attribute', params: AttrParams, querystring: EntityQuery },
    },
    async (request, reply) => {
      const { id, attrId } = request.params as { id: string; attrId: string };
      const p = request.query as Q;
      const ctx = contextOf(request);
      await service.change(
        tenantOf(request),
        id,
        'ngsi-ld.entity.attribute.delete',
        request.actor(),
        (before, at) => planDeleteAttr(before, ctx.expand(attrId), at, p.datasetId, p.deleteAll === 'true'),
      );
      return reply.code(204).send();
    },
  );

  app.put(
    '/entities/:id',
    { config: write, schema: { tags, summary: 'Replace an entity', params: IdParams } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const ctx = contextOf(request, request.body);
      await service.change(
        tenantOf(request),
        id,
        'ngsi-ld.entity.replace',
        request.actor(),
        async (before, at, tx) =>
          planReplace(
            before,
            await service.fragment(tx, request.body, ctx, id, true, simplifiedInput(request)),
            at,
          ),
      );
      return reply.code(204).send();
    },
  );

  app.patch(
    '/entities/:id',
    { config: write, schema: { tags, summary: 'Merge into an entity', params: IdParams } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const ctx = contextOf(request, request.body);
      await service.change(
        tenantOf(request),
        id,
        'ngsi-ld.entity.merge',
        request.actor(),
        async (before, at, tx) =>
          planMerge(
            before,
            await service.fragment(tx, request.body, ctx, id, false, simplifiedInput(request)),
            at,
          ),
      );
      return reply.code(204).send();
    },
  );
}
