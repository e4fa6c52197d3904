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
  'cycling.lanes_invalid': {
    th: 'ไฟล์เส้นทางจักรยานมีข้อผิดพลาด จึงยังไม่ได้นำเข้าข้อมูลใด',
    en: 'The lane file has problems; nothing was imported',
  },
  'cycling.lane_not_found': { th: 'ไม่พบเส้นทางจักรยานนี้', en: 'No such cycle lane' },
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
