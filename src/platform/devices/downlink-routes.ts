import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { audit } from '../../core/audit/audit.ts';
import { officeBoundRoles } from '../../core/auth/roles.ts';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';
import {
  type DownlinkInput,
  DownlinkRepository,
  defaultTtlS,
  encodePayload,
  maxPayloadBytes,
} from './downlinks.ts';
import { DeviceRepository } from './repository.ts';
import { IdParam } from './schemas.ts';
import { keepers } from './service.ts';

const tags = ['devices'];
type Id = { id: string };

const closed = { additionalProperties: false } as const;
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const CommandSchema = Type.Union([
  Type.Object(
    {
      name: Type.Literal('set-reporting-interval'),
      intervalS: Type.Integer({ minimum: 10, maximum: 604800 }),
    },
    closed,
  ),
  Type.Object({ name: Type.Literal('reboot') }, closed),
]);

export const DownlinkBody = Type.Object(
  {
    fPort: Type.Integer({
      minimum: 1,
      maximum: 223,
      description: 'LoRaWAN FPort (1–223; 0 is MAC commands)',
    }),
    confirmed: Type.Optional(Type.Boolean({ description: 'Ask the device to acknowledge it' })),
    ttlS: Type.Optional(
      Type.Integer({ minimum: 60, maximum: 7 * 86400, description: 'Expire it when not settled by then' }),
    ),
    payload: Type.Union([
      Type.Object(
        {
          hex: Type.String({ pattern: '^([0-9a-fA-F]{2})+$', minLength: 2, maxLength: 2 * maxPayloadBytes }),
        },
        closed,
      ),
      Type.Object(
        {
          base64: Type.String({
            pattern: '^[A-Za-z0-9+/]+={0,2}$',
            minLength: 4,
            maxLength: 4 * Math.ceil(maxPayloadBytes / 3),
          }),
        },
        closed,
      ),
      Type.Object({ command: CommandSchema }, closed),
    ]),
  },
  closed,
);

const DownlinkSchema = Type.Object({
  id: Type.String({ description: 'Also the ChirpStack queue item id' }),
  deviceId: Type.String(),
  fPort: Type.Integer(),
  payloadHex: Type.String(),
  command: Type.Union([Type.Object({ name: Type.String() }, { additionalProperties: true }), Type.Null()]),
  confirmed: Type.Boolean(),
  state: Type.Union(['queued', 'sent', 'acknowledged', 'failed', 'expired'].map((s) => Type.Literal(s))),
  queuedBy: Nullable(Type.String()),
  queuedAt: Type.String(),
  expiresAt: Type.String(),
  sentAt: Nullable(Type.String()),
  applicationId: Nullable(Type.String()),
  transmittedAt: Nullable(Type.String()),
  gatewayId: Nullable(Type.String()),
  fCntDown: Type.Union([Type.Number(), Type.Null()]),
  settledAt: Nullable(Type.String()),
  reason: Nullable(Type.String()),
});

/** Downlinks of a device: queue one, list them with their state. */
export async function downlinkRoutes(app: FastifyInstance) {
  const downlinks = new DownlinkRepository(app.db);
  const devices = new DeviceRepository(app.db);

  app.post(
    '/devices/:id/downlinks',
    {
      config: { access: [...keepers] },
      schema: {
        tags,
        summary:
          'Queue a downlink for a device: bytes (hex or base64, 1–242) or a declarative command. It is published to ChirpStack’s MQTT integration once the device’s application is known, and followed to acknowledged, failed or expired.',
        params: IdParam,
        body: DownlinkBody,
        response: { 201: DownlinkSchema },
      },
    },
    async (request, reply) => {
      const { id } = request.params as Id;
      const principal = request.principal!;
      const body = request.body as DownlinkInput;
      const d = await devices.device(id);
      if (!d) throw AppError.notFound('resource.not_found', msg('devices.no_such_device'));
      if (officeBoundRoles.includes(principal.role) && d.officeId !== principal.officeId)
        throw AppError.forbidden('devices.other_office');
      const { hex, command } = encodePayload(body.payload);
      const actor = request.actor();
      const created = await app.db.transaction(async (tx) => {
        const row = await downlinks.insert(
          tx,
          {
            deviceId: id,
            fPort: body.fPort,
            payloadHex: hex,
            command,
            confirmed: body.confirmed ?? false,
            ttlS: body.ttlS ?? defaultTtlS,
          },
          { id: actor.id, label: actor.label },
        );
        await audit(tx, actor, {
          action: 'devices.downlink.queue',
          resourceType: 'devices.downlink',
          resourceId: row.id,
          detail: {
            deviceId: id,
            fPort: body.fPort,
            bytes: hex.length / 2,
            confirmed: row.confirmed,
            command,
          },
        });
        return row;
      });
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/devices/:id/downlinks',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'A device’s downlinks with their state, newest first (last 100)',
        params: IdParam,
        response: { 200: Type.Array(DownlinkSchema) },
      },
    },
    async (request) => {
      const { id } = request.params as Id;
      if (!(await devices.device(id)))
        throw AppError.notFound('resource.not_found', msg('devices.no_such_device'));
      return downlinks.list(id);
    },
  );
}
