import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { registerMessages } from '../../core/i18n.ts';
import { atomFeed } from './cap.ts';
import { deliveryPlugin } from './delivery.ts';
import {
  AlertSchema,
  ListQuery,
  type NewWarning,
  NewWarningBody,
  ResolveBody,
  type UpdateWarning,
  UpdateWarningBody,
} from './model.ts';
import { publicWarningRoutes } from './public-routes.ts';
import { AlertService } from './service.ts';

registerMessages({
  'alerts.ring_ends': {
    th: 'จุดแรกและจุดสุดท้ายของรูปหลายเหลี่ยมต้องเป็นจุดเดียวกัน',
    en: 'the first and last positions must be equal',
  },
  'alerts.give_area': {
    th: 'กรุณาระบุ area.polygon หรือ area.zoneCode',
    en: 'give area.polygon or area.zoneCode',
  },
  'alerts.not_found': { th: 'ไม่พบการแจ้งเตือนนี้', en: 'The alert was not found' },
  'alerts.invalid_transition': {
    th: 'เปลี่ยนสถานะการแจ้งเตือนนี้ไม่ได้ในขณะนี้',
    en: 'The alert cannot move to that status now',
  },
  'alerts.area_required': { th: 'กรุณาระบุพื้นที่ (รูปหลายเหลี่ยมหรือเขต)', en: 'Give an area: a polygon or a zone' },
  'alerts.polygon_not_closed': {
    th: 'รูปหลายเหลี่ยมต้องปิด (จุดแรกและจุดสุดท้ายตรงกัน)',
    en: 'The polygon must be closed',
  },
  'alerts.not_updatable': {
    th: 'แก้ไขได้เฉพาะประกาศเตือนภัยสาธารณะที่ยังไม่สิ้นสุด',
    en: 'Only an open public warning can be updated',
  },
  'alerts.zone_not_found': { th: 'ไม่พบเขตที่ระบุ', en: 'The zone does not exist' },
  'alerts.only_open_updatable': {
    th: 'แก้ไขได้เฉพาะประกาศเตือนภัยสาธารณะที่ยังไม่สิ้นสุดเท่านั้น',
    en: 'only an open public warning can be updated',
  },
  'alerts.status_is': { th: 'การแจ้งเตือนนี้อยู่ในสถานะ {status} แล้ว', en: 'the alert is {status}' },
});

const tags = ['alerts'];
const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const CapFileParam = Type.Object(
  { file: Type.String({ pattern: '^[0-9a-fA-F-]{36}\\.xml$' }) },
  { additionalProperties: false },
);
const manage = ['admin', 'office_manager', 'officer'] as const;
const feedDays = 7;

/**
 * Alerts and public warnings (platform, used by every module): the staff API at /api/alerts and the
 * public CAP 1.2 output at /alerts/cap.atom and /alerts/cap/{id}.xml.
 */
export async function alertsPlugin(app: FastifyInstance): Promise<void> {
  const publicUrl = app.config.PUBLIC_URL?.replace(/\/+$/, '');
  const host = publicUrl ? new URL(publicUrl).hostname : 'localhost';
  const service = new AlertService(app.db, app.events, `mueang@${host}`, {
    th: 'เทศบาลนครขอนแก่น',
    en: 'Khon Kaen City Municipality',
  });
  app.decorate('alerts', service);
  deliveryPlugin(app, service);
  publicWarningRoutes(app, service);
  const base = (request: { protocol: string; host: string }) =>
    publicUrl ?? `${request.protocol}://${request.host}`;

  app.get(
    '/api/alerts',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Alerts, newest first (office-bound staff: their office’s)',
        querystring: ListQuery,
        response: { 200: Type.Array(AlertSchema) },
      },
    },
    async (request) => {
      const alerts = await service.list(request.query as never, request.actor());
      return alerts.map(({ capGeometry: _, ...a }) => a);
    },
  );

  app.get(
    '/api/alerts/:id',
    {
      config: { access: 'staff' },
      schema: { tags, summary: 'One alert', params: IdParam, response: { 200: AlertSchema } },
    },
    async (request) => {
      const { capGeometry: _, ...a } = await service.get(
        (request.params as { id: string }).id,
        request.actor(),
      );
      return a;
    },
  );

  app.post(
    '/api/alerts',
    {
      config: { access: ['admin', 'office_manager'] },
      schema: {
        tags,
        summary: 'Raise a public warning (published as CAP 1.2)',
        body: NewWarningBody,
        response: { 201: AlertSchema },
      },
    },
    async (request, reply) => {
      const { capGeometry: _, ...a } = await service.raiseWarning(
        request.body as NewWarning,
        request.actor(),
      );
      return reply.code(201).send(a);
    },
  );

  app.patch(
    '/api/alerts/:id',
    {
      config: { access: ['admin', 'office_manager'] },
      schema: {
        tags,
        summary: 'Update an open public warning (published as a CAP Update)',
        params: IdParam,
        body: UpdateWarningBody,
        response: { 200: AlertSchema },
      },
    },
    async (request) => {
      const { capGeometry: _, ...a } = await service.updateWarning(
        (request.params as { id: string }).id,
        request.body as UpdateWarning,
        request.actor(),
      );
      return a;
    },
  );

  app.post(
    '/api/alerts/:id/acknowledge',
    {
      config: { access: [...manage] },
      schema: {
        tags,
        summary: 'Acknowledge a raised alert',
        params: IdParam,
        response: { 200: AlertSchema },
      },
    },
    async (request) => {
      const { capGeometry: _, ...a } = await service.acknowledge(
        (request.params as { id: string }).id,
        request.actor(),
      );
      return a;
    },
  );

  app.post(
    '/api/alerts/:id/resolve',
    {
      config: { access: [...manage] },
      schema: {
        tags,
        summary: 'Resolve an alert (a public warning is cancelled in CAP)',
        params: IdParam,
        body: ResolveBody,
        response: { 200: AlertSchema },
      },
      // The note is optional, and so is the body itself.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request) => {
      const note = (request.body as { note?: string } | undefined)?.note;
      const { capGeometry: _, ...a } = await service.resolve(
        (request.params as { id: string }).id,
        note,
        request.actor(),
      );
      return a;
    },
  );

  app.get(
    '/alerts/cap.atom',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          'Public warnings as an Atom feed of CAP 1.2 messages (open ones and those cancelled in the last 7 days)',
      },
    },
    async (request, reply) => {
      const alerts = await service.repo.publicFeed(200, feedDays);
      const url = base(request);
      const xml = atomFeed({
        id: `${url}/alerts/cap.atom`,
        title: 'เทศบาลนครขอนแก่น · Khon Kaen City Municipality — public warnings',
        selfUrl: `${url}/alerts/cap.atom`,
        updated: alerts[0] ? new Date(alerts[0].capSent) : new Date(0),
        entries: alerts.map((a) => ({
          id: `urn:uuid:${a.id}`,
          title: `${a.status === 'resolved' ? '[ยกเลิก · Cancelled] ' : ''}${a.headline.th} · ${a.headline.en}`,
          updated: new Date(a.capSent),
          summary: [a.description.th, a.description.en].filter(Boolean).join('\n\n') || a.event.en,
          capUrl: `${url}/alerts/cap/${a.id}.xml`,
        })),
      });
      return reply.type('application/atom+xml; charset=utf-8').send(xml);
    },
  );

  app.get(
    '/alerts/cap/:file',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'The current CAP 1.2 message of a public warning', params: CapFileParam },
    },
    async (request, reply) => {
      const id = (request.params as { file: string }).file.slice(0, -4).toLowerCase();
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id))
        throw AppError.notFound('alerts.not_found');
      const alert = await service.repo.get(id);
      if (!alert?.public) throw AppError.notFound('alerts.not_found');
      return reply.type('application/cap+xml; charset=utf-8').send(service.capXml(alert));
    },
  );
}

declare module 'fastify' {
  interface FastifyInstance {
    alerts: AlertService;
  }
}
