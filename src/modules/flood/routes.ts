import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { registerMessages } from '../../core/i18n.ts';
import { followReadings } from './entity.ts';
import { FloodRepository } from './repository.ts';
import {
  IdParam,
  type NewStation,
  NewStationBody,
  SeriesQuery,
  ShelterBody,
  type ShelterInput,
  ShelterPatch,
  type ShelterPatchInput,
  ShelterSchema,
  StationDetailSchema,
  StationPatch,
  type StationPatchInput,
  StationSchema,
} from './schemas.ts';
import { ShelterService, shelterKeepers } from './shelters.ts';
import { StationService } from './stations.ts';

const tags = ['flood'];
const keep = { access: [...shelterKeepers] };
type Id = { id: string };

registerMessages({
  'flood.levels_rise': {
    th: 'ระดับต้องสูงขึ้นตามลำดับ: เฝ้าระวัง < เตือนภัย < วิกฤต',
    en: 'levels must rise: watch < warning < critical',
  },
  'flood.measures_neither': {
    th: 'อุปกรณ์นี้ไม่ได้วัดระดับน้ำ (m) หรือปริมาณฝน (mm)',
    en: 'the device measures neither water level (m) nor rainfall (mm)',
  },
  'flood.other_office': {
    th: 'รายการนี้อยู่ในความรับผิดชอบของสำนัก/กองอื่น',
    en: 'This belongs to another office',
  },
  'flood.thresholds_order': {
    th: 'ระดับต้องเรียงจากต่ำไปสูง: เฝ้าระวัง < เตือนภัย < วิกฤต',
    en: 'Levels must rise: watch < warning < critical',
  },
  'flood.not_a_station': {
    th: 'อุปกรณ์นี้ไม่ได้วัดระดับน้ำ (เมตร) หรือปริมาณฝน (มิลลิเมตร)',
    en: 'This device measures neither water level (m) nor rainfall (mm)',
  },
  'flood.station_exists': { th: 'อุปกรณ์นี้เป็นสถานีอยู่แล้ว', en: 'This device is a station already' },
  'flood.no_shelter': { th: 'ไม่พบศูนย์พักพิงนี้', en: 'no such shelter' },
  'flood.shelter_name_taken': { th: 'มีศูนย์พักพิงชื่อนี้อยู่แล้ว', en: 'a shelter with this name exists' },
  'flood.no_station': { th: 'ไม่พบสถานีวัดระดับน้ำนี้', en: 'no such station' },
  'flood.device_is_station': {
    th: 'อุปกรณ์นี้เป็นสถานีวัดระดับน้ำอยู่แล้ว',
    en: 'this device is a station already',
  },
});

const GeoJson = Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(Type.Any()) });

/** Flood warning at /api/flood: public status and shelters; staff keep levels and shelters. */
export async function floodRoutes(app: FastifyInstance) {
  const stations = new StationService(app.db, app.rules?.evaluator);
  const shelters = new ShelterService(app.db);
  followReadings(app.db, (db) => new FloodRepository(db));

  app.get(
    '/stations',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          'Water-level and rain-gauge stations: current level, status (normal/watch/warning/critical/unknown), trend, rate of rise, rainfall totals',
        response: { 200: Type.Array(StationSchema) },
      },
    },
    () => stations.list(),
  );
  app.get(
    '/stations/:id',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'One station with its readings of the last hours (24 unless `hours` is given)',
        params: IdParam,
        querystring: SeriesQuery,
        response: { 200: StationDetailSchema },
      },
    },
    (request) => stations.get((request.params as Id).id, (request.query as { hours?: number }).hours ?? 24),
  );
  app.post(
    '/stations',
    {
      config: keep,
      schema: {
        tags,
        summary:
          'Make a water-level or rain device a station, with its levels (office-bound staff: own office)',
        body: NewStationBody,
        response: { 201: StationDetailSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await stations.create(request.body as NewStation, request.principal!, request.actor())),
  );
  app.patch(
    '/stations/:id',
    {
      config: keep,
      schema: {
        tags,
        summary: 'Change a station’s names, datum or levels',
        params: IdParam,
        body: StationPatch,
        response: { 200: StationDetailSchema },
      },
    },
    (request) =>
      stations.update(
        (request.params as Id).id,
        request.body as StationPatchInput,
        request.principal!,
        request.actor(),
      ),
  );

  app.get(
    '/shelters',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Shelters and evacuation points',
        response: { 200: Type.Array(ShelterSchema) },
      },
    },
    () => shelters.list(),
  );
  app.get(
    '/shelters.geojson',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'Shelters and evacuation points as GeoJSON', response: { 200: GeoJson } },
    },
    async (_request, reply) => reply.type('application/geo+json').send(await shelters.geojson()),
  );
  app.get(
    '/shelters/:id',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'One shelter', params: IdParam, response: { 200: ShelterSchema } },
    },
    (request) => shelters.get((request.params as Id).id),
  );
  app.post(
    '/shelters',
    {
      config: keep,
      schema: {
        tags,
        summary: 'Add a shelter or evacuation point (inside the municipality)',
        body: ShelterBody,
        response: { 201: ShelterSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await shelters.create(request.body as ShelterInput, request.principal!, request.actor())),
  );
  app.patch(
    '/shelters/:id',
    {
      config: keep,
      schema: {
        tags,
        summary: 'Change a shelter',
        params: IdParam,
        body: ShelterPatch,
        response: { 200: ShelterSchema },
      },
    },
    (request) =>
      shelters.update(
        (request.params as Id).id,
        request.body as ShelterPatchInput,
        request.principal!,
        request.actor(),
      ),
  );
  app.delete(
    '/shelters/:id',
    { config: keep, schema: { tags, summary: 'Remove a shelter', params: IdParam } },
    async (request, reply) => {
      await shelters.remove((request.params as Id).id, request.principal!, request.actor());
      return reply.code(204).send();
    },
  );
}
