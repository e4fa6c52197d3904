import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import { audit } from '../audit/audit.ts';
import { Uuid } from '../auth/schemas.ts';
import { AppError } from '../errors.ts';
import { msg } from '../i18n.ts';
import { type AreaWithGeometry, OrgRepository } from './repository.ts';

const tags = ['organisation'];

const OfficeSchema = Type.Object({
  id: Uuid,
  code: Type.String(),
  nameTh: Type.String(),
  nameEn: Type.String(),
  kind: Type.Union([Type.Literal('office'), Type.Literal('division')]),
  parentId: Type.Union([Uuid, Type.Null()]),
  services: Type.Array(Type.String()),
});

const NewOfficeBody = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,63}$' }),
    nameTh: Type.String({ minLength: 1, maxLength: 200 }),
    nameEn: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.Union([Type.Literal('office'), Type.Literal('division')]),
    parentId: Type.Optional(Uuid),
    services: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z0-9-]{1,64}$' }), { maxItems: 100 })),
  },
  { additionalProperties: false },
);

const AreaRef = Type.Object({
  id: Uuid,
  code: Type.String(),
  nameTh: Type.String(),
  nameEn: Type.String(),
  synthetic: Type.Boolean(),
});

const FeatureCollection = Type.Object(
  { type: Type.Literal('FeatureCollection'), features: Type.Array(Type.Any()) },
  {
    description:
      'GeoJSON FeatureCollection (RFC 7946); feature properties: id, code, nameTh, nameEn, synthetic',
  },
);

const LocateQuery = Type.Object(
  {
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
  },
  { additionalProperties: false },
);

function toFeatures(areas: AreaWithGeometry[]) {
  return {
    type: 'FeatureCollection' as const,
    features: areas.map(({ geometry, ...properties }) => ({
      type: 'Feature',
      id: properties.id,
      geometry,
      properties,
    })),
  };
}

export async function orgRoutes(app: FastifyInstance) {
  const repo = new OrgRepository(app.db);

  app.get(
    '/api/org/offices',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Offices and divisions (สำนัก/กอง)',
        response: { 200: Type.Array(OfficeSchema) },
      },
    },
    () => repo.listOffices(),
  );

  app.post(
    '/api/org/offices',
    {
      config: { access: ['admin'] },
      schema: {
        tags,
        summary: 'Add an office or division',
        body: NewOfficeBody,
        response: { 201: OfficeSchema },
      },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof NewOfficeBody>;
      const office = await app.db.transaction(async (tx) => {
        if (await repo.officeByCode(body.code, tx))
          throw AppError.conflict('resource.conflict', msg('org.office_exists', { code: body.code }));
        const created = await repo.insertOffice(tx, {
          ...body,
          parentId: body.parentId ?? null,
          services: body.services ?? [],
        });
        await audit(tx, request.actor(), {
          action: 'office.create',
          resourceType: 'office',
          resourceId: created.id,
        });
        await app.events.publish(tx, 'office.created', { officeId: created.id, code: created.code });
        return created;
      });
      return reply.code(201).send(office);
    },
  );

  app.get(
    '/api/org/zones',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'Municipal zones as GeoJSON', response: { 200: FeatureCollection } },
    },
    async (_request, reply) => reply.type('application/geo+json').send(toFeatures(await repo.zones())),
  );

  app.get(
    '/api/org/communities',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Communities (ชุมชน) as GeoJSON',
        querystring: Type.Object({ zone: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: { 200: FeatureCollection },
      },
    },
    async (request, reply) =>
      reply
        .type('application/geo+json')
        .send(toFeatures(await repo.communities((request.query as { zone?: string }).zone))),
  );

  app.get(
    '/api/org/locate',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Resolve a WGS 84 point to its zone and community',
        querystring: LocateQuery,
        response: { 200: Type.Object({ zone: AreaRef, community: Type.Union([AreaRef, Type.Null()]) }) },
      },
    },
    async (request) => {
      const { lon, lat } = request.query as Static<typeof LocateQuery>;
      const found = await repo.locate(lon, lat);
      if (!found)
        throw AppError.notFound('org.outside_municipality', msg('org.point_in_no_zone', { lon, lat }));
      return found;
    },
  );
}
