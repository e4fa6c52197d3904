import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { audit } from '../../core/audit/audit.ts';
import { officeBoundRoles, type Principal } from '../../core/auth/roles.ts';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';
import { contextService } from '../context/service.ts';
import { quantityPattern } from '../ingestion/link-events.ts';
import { type BulkBody, BulkIngest } from './bulk.ts';
import { LinkRepository } from './link-repository.ts';
import { DeviceRepository } from './repository.ts';
import { IdParam } from './schemas.ts';
import { keepers } from './service.ts';

const tags = ['devices'];
type Id = { id: string };

/** At most this many readings in one bulk request; the body limit bounds the rest. */
export const maxBulkReadings = 1000;
export const bulkBodyLimit = 1024 * 1024;

const BulkSchema = Type.Object(
  {
    readings: Type.Array(
      Type.Object(
        {
          time: Type.Optional(Type.String({ format: 'date-time' })),
          values: Type.Record(Type.String({ pattern: quantityPattern.source }), Type.Number(), {
            minProperties: 1,
            maxProperties: 100,
            // Type.Never(), not false: TypeBox's Value.Default throws on a Record with `false` here.
            additionalProperties: Type.Never(),
          }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: maxBulkReadings },
    ),
  },
  { additionalProperties: false },
);

const GatewaySchema = Type.Object({
  gatewayId: Type.String(),
  firstSeenAt: Type.String(),
  lastSeenAt: Type.String(),
  rssi: Type.Union([Type.Number(), Type.Null()]),
  snr: Type.Union([Type.Number(), Type.Null()]),
  devices: Type.Integer(),
});

const EventSchema = Type.Object({
  kind: Type.String(),
  at: Type.String(),
  detail: Type.Object({}, { additionalProperties: true }),
});

/** Device tokens and the HTTP bulk endpoint, gateways, a device's link events and reporting interval. */
export async function linkRoutes(app: FastifyInstance) {
  const bulk = new BulkIngest(app.db, contextService(app.db));
  const links = new LinkRepository(app.db);
  const devices = new DeviceRepository(app.db);

  /** Office-bound staff keep only their own office's devices. */
  async function mayKeep(id: string, principal: Principal) {
    const d = await devices.device(id);
    if (!d) throw AppError.notFound('resource.not_found', msg('devices.no_such_device'));
    if (officeBoundRoles.includes(principal.role) && d.officeId !== principal.officeId)
      throw AppError.forbidden('devices.other_office');
  }

  app.post(
    '/ingest/readings',
    {
      config: { access: 'device-token' },
      bodyLimit: bulkBodyLimit,
      schema: {
        tags,
        summary:
          'A non-LoRa device sends many readings at once, authenticated by its own token (X-Device-Token). Answers after the readings are committed; duplicates are dropped and counted.',
        body: BulkSchema,
        response: { 200: Type.Object({ stored: Type.Integer(), duplicates: Type.Integer() }) },
      },
      // The token must be checked before the body is: an unauthenticated caller learns nothing of the schema.
      preValidation: async (request) => {
        const token = request.headers['x-device-token'];
        if (typeof token !== 'string' || !token) throw AppError.unauthorized('devices.token_required');
      },
    },
    (request) => {
      const token = request.headers['x-device-token'] as string;
      return bulk.ingest(token, request.body as BulkBody, new Date());
    },
  );

  app.post(
    '/devices/:id/token',
    {
      config: { access: [...keepers] },
      schema: {
        tags,
        summary:
          'Issue (or rotate) a device’s token for the HTTP bulk endpoint. Shown only in this answer; stored hashed.',
        params: IdParam,
        response: { 201: Type.Object({ token: Type.String() }) },
      },
    },
    async (request, reply) => {
      const { id } = request.params as Id;
      await mayKeep(id, request.principal!);
      return reply.code(201).send(await bulk.issueToken(id, request.actor()));
    },
  );

  app.put(
    '/devices/:id/expected-interval',
    {
      config: { access: [...keepers] },
      schema: {
        tags,
        summary:
          'Set how often a device is expected to report (seconds; null: its profile’s), which its health is judged by',
        params: IdParam,
        body: Type.Object(
          { expectedIntervalS: Type.Union([Type.Integer({ minimum: 10, maximum: 604800 }), Type.Null()]) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const { id } = request.params as Id;
      await mayKeep(id, request.principal!);
      const { expectedIntervalS } = request.body as { expectedIntervalS: number | null };
      await app.db.transaction(async (tx) => {
        await links.setInterval(tx, id, expectedIntervalS);
        await audit(tx, request.actor(), {
          action: 'devices.device.interval',
          resourceType: 'devices.device',
          resourceId: id,
          detail: { expectedIntervalS },
        });
      });
      return reply.code(204).send();
    },
  );

  app.get(
    '/gateways',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'LoRaWAN gateways seen in uplinks, with last seen and how many devices they serve',
        response: { 200: Type.Array(GatewaySchema) },
      },
    },
    () => links.gateways(),
  );

  app.get(
    '/devices/:id/events',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'A device’s join and status events, newest first',
        params: IdParam,
        response: { 200: Type.Array(EventSchema) },
      },
    },
    async (request) => {
      const { id } = request.params as Id;
      if (!(await devices.device(id)))
        throw AppError.notFound('resource.not_found', msg('devices.no_such_device'));
      return links.events(id, 100);
    },
  );
}
