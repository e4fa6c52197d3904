import type { FastifyInstance } from 'fastify';
import { registerMessages } from '../../core/i18n.ts';
import {
  CountersReply,
  DaysQuery,
  IdParams,
  ImportQuery,
  ImportReply,
  LaneImport,
  LanesReply,
  SummaryReply,
} from './schemas.ts';
import { CyclingService } from './service.ts';

const tags = ['cycling'];
const staff = { access: ['admin', 'office_manager', 'officer'] as const };

registerMessages({
  'cycling.problem_count': {
    th: 'พบข้อผิดพลาด {n} รายการในไฟล์เส้นทาง จึงยังไม่ได้นำเข้าข้อมูลใด',
    en: '{n} problem(s) in the lane file; nothing was imported',
  },
  'cycling.crs_wgs84': {
    th: 'พิกัดต้องเป็นลองจิจูด/ละติจูดแบบ WGS 84 (RFC 7946)',
    en: 'coordinates must be WGS 84 longitude/latitude (RFC 7946)',
  },
  'cycling.name_needed': {
    th: 'ต้องมีชื่อ (name_th และ name_en หรือ name) ยาว 1–200 ตัวอักษร',
    en: 'needs a name (name_th and name_en, or name), 1–200 characters',
  },
  'cycling.kind_one_of': { th: 'ประเภท (kind) ต้องเป็นหนึ่งใน {kinds}', en: 'kind must be one of {kinds}' },
  'cycling.positions_range': {
    th: 'ตำแหน่งต้องเป็น [ลองจิจูด, ละติจูด] ที่อยู่ในช่วงค่าที่ถูกต้อง',
    en: 'positions must be [longitude, latitude] in range',
  },
  'cycling.line_invalid': { th: 'ไม่ใช่เส้นที่ถูกต้อง', en: 'not a valid line' },
  'cycling.line_outside': { th: 'ไม่อยู่ในเขตเทศบาล', en: 'not inside the municipality' },
  'cycling.too_many_positions': {
    th: 'มีตำแหน่งเกิน {max} จุดในไฟล์เดียว',
    en: 'more than {max} positions in one file',
  },
  'cycling.lanes_invalid': {
    th: 'ไฟล์เส้นทางจักรยานมีข้อผิดพลาด จึงยังไม่ได้นำเข้าข้อมูลใด',
    en: 'The lane file has problems; nothing was imported',
  },
  'cycling.lane_not_found': { th: 'ไม่พบเส้นทางจักรยานนี้', en: 'No such cycle lane' },
  'cycling.no_lane': { th: 'ไม่พบเส้นทางจักรยาน {id}', en: 'no lane {id}' },
});

/** Thin: validate, authorise (declared access), call one service method, shape the reply. */
export async function cyclingRoutes(app: FastifyInstance) {
  const service = new CyclingService(app.db);

  app.get(
    '/lanes',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'Cycle lanes as GeoJSON (WGS 84)', response: { 200: LanesReply } },
    },
    () => service.lanes(),
  );

  app.post(
    '/lanes/import',
    {
      config: { access: [...staff.access] },
      // A city's lane network drawn in detail runs to a few megabytes of GeoJSON.
      bodyLimit: 10 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Import cycle lanes from a GeoJSON FeatureCollection, all or nothing',
        description:
          'LineString or MultiLineString features with `name_th`/`name_en` (or `name`) and `kind` (protected, painted, shared, path). Every feature must be a valid line inside the municipality; any problem refuses the file with a list of them.',
        querystring: ImportQuery,
        body: LaneImport,
        response: { 200: ImportReply },
      },
    },
    async (request) =>
      service.importLanes(request.body as LaneImport, request.query as ImportQuery, request.actor()),
  );

  app.delete(
    '/lanes/:id',
    {
      config: { access: [...staff.access] },
      schema: { tags, summary: 'Remove a cycle lane', params: IdParams },
    },
    async (request, reply) => {
      await service.deleteLane((request.params as { id: string }).id, request.actor());
      return reply.code(204).send();
    },
  );

  app.get(
    '/counters',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Bike counters and their bicycles per Bangkok day',
        querystring: DaysQuery,
        response: { 200: CountersReply },
      },
    },
    (request) => service.counters((request.query as { days: number }).days),
  );

  app.get(
    '/summary',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Lane kilometres by kind and bicycles counted',
        response: { 200: SummaryReply },
      },
    },
    () => service.summary(),
  );
}
