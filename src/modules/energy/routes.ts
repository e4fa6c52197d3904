import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { registerMessages } from '../../core/i18n.ts';
import { setGridFactor } from './factor.ts';
import {
  BuildingBody,
  type BuildingInput,
  BuildingPageReply,
  BuildingPatch,
  type BuildingPatchInput,
  BuildingSchema,
  FiguresQuery,
  type FiguresQueryInput,
  FiguresReply,
  IdParam,
  InstallationBody,
  type InstallationInput,
  InstallationPatch,
  type InstallationPatchInput,
  InstallationSchema,
  SummaryReply,
} from './schemas.ts';
import { EnergyService } from './service.ts';

const tags = ['energy'];
const writers = ['admin', 'office_manager', 'officer'] as ('admin' | 'office_manager' | 'officer')[];

registerMessages({
  'energy.meter_no_kwp': {
    th: 'กำลังผลิตติดตั้ง (kWp) ใช้กับระบบโซลาร์เซลล์เท่านั้น มิเตอร์ไม่มีค่านี้',
    en: 'a meter has no peak power (kWp): only for PV',
  },
  'energy.building_not_found': { th: 'ไม่พบอาคารนี้', en: 'No such building' },
  'energy.installation_not_found': { th: 'ไม่พบระบบติดตั้งนี้', en: 'No such installation' },
  'energy.other_office': {
    th: 'อาคารนี้อยู่ในความดูแลของหน่วยงานอื่น',
    en: 'This building belongs to another office',
  },
  'energy.device_taken': {
    th: 'อุปกรณ์นี้ผูกกับระบบติดตั้งอื่นแล้ว',
    en: 'This device already feeds another installation',
  },
  'energy.bad_range': { th: 'ช่วงวันที่ไม่ถูกต้อง', en: 'The date range is not valid' },
  'energy.no_building': { th: 'ไม่พบอาคาร {id}', en: 'no building {id}' },
  'energy.device_feeds': {
    th: 'อุปกรณ์ {device} ผูกกับระบบติดตั้งอื่นอยู่แล้ว',
    en: 'device {device} already feeds an installation',
  },
});

/** Thin: validate, authorise (declared access), call one service method, shape the reply. */
export async function energyRoutes(app: FastifyInstance) {
  setGridFactor(app.config);
  const service = new EnergyService(app.db);
  const id = (request: { params: unknown }) => (request.params as { id: string }).id;

  app.get(
    '/buildings',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Buildings of the energy programme',
        response: { 200: Type.Array(BuildingSchema) },
      },
    },
    () => service.buildings(),
  );

  app.get(
    '/buildings/:id',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'A green-building page: installations, the last 365 days, energy intensity and CO2 avoided',
        params: IdParam,
        response: { 200: BuildingPageReply },
      },
    },
    (request) => service.buildingPage(id(request)),
  );

  app.get(
    '/figures',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          'Generation, grid import/export, consumption, self-consumption and CO2 avoided per day, month or year',
        description:
          'Periods are Asia/Bangkok calendar days, months or years. Without `building`, the whole city. CO2 avoided = generated kWh × the configured grid emission factor.',
        querystring: FiguresQuery,
        response: { 200: FiguresReply },
      },
    },
    (request) => {
      const q = request.query as FiguresQueryInput;
      return service.figures(q.by, q.from, q.to, q.building);
    },
  );

  app.get(
    '/summary',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'The city’s greenhouse-gas summary for this year to date',
        response: { 200: SummaryReply },
      },
    },
    () => service.summary(),
  );

  app.post(
    '/buildings',
    {
      config: { access: writers },
      schema: { tags, summary: 'Add a building', body: BuildingBody, response: { 201: BuildingSchema } },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await service.createBuilding(request.body as BuildingInput, request.principal!, request.actor()),
        ),
  );

  app.patch(
    '/buildings/:id',
    {
      config: { access: writers },
      schema: {
        tags,
        summary: 'Change a building',
        params: IdParam,
        body: BuildingPatch,
        response: { 200: BuildingSchema },
      },
    },
    (request) =>
      service.updateBuilding(
        id(request),
        request.body as BuildingPatchInput,
        request.principal!,
        request.actor(),
      ),
  );

  app.delete(
    '/buildings/:id',
    {
      config: { access: writers },
      schema: { tags, summary: 'Remove a building and its installations', params: IdParam },
    },
    async (request, reply) => {
      await service.removeBuilding(id(request), request.principal!, request.actor());
      return reply.code(204).send();
    },
  );

  app.post(
    '/buildings/:id/installations',
    {
      config: { access: writers },
      schema: {
        tags,
        summary: 'Add a PV system or a grid meter to a building, linked to its device',
        params: IdParam,
        body: InstallationBody,
        response: { 201: InstallationSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await service.addInstallation(
            id(request),
            request.body as InstallationInput,
            request.principal!,
            request.actor(),
          ),
        ),
  );

  app.patch(
    '/installations/:id',
    {
      config: { access: writers },
      schema: {
        tags,
        summary: 'Change an installation (name, kWp, install date, linked device)',
        params: IdParam,
        body: InstallationPatch,
        response: { 200: InstallationSchema },
      },
    },
    (request) =>
      service.updateInstallation(
        id(request),
        request.body as InstallationPatchInput,
        request.principal!,
        request.actor(),
      ),
  );

  app.delete(
    '/installations/:id',
    { config: { access: writers }, schema: { tags, summary: 'Remove an installation', params: IdParam } },
    async (request, reply) => {
      await service.removeInstallation(id(request), request.principal!, request.actor());
      return reply.code(204).send();
    },
  );
}
