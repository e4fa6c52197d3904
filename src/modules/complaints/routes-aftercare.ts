import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { registerMessages } from '../../core/i18n.ts';
import { ComplaintsAftercare } from './aftercare.ts';
import {
  ForwardBody,
  HolidayParam,
  HolidayQuery,
  HolidaySchema,
  MergeBody,
  NewHolidayBody,
  RatingBody,
  type RatingInput,
  RefParam,
  ReopenBody,
} from './schemas.ts';
import type { ComplaintsService } from './service.ts';
import { ComplaintsSweeper } from './sweep.ts';

registerMessages({
  'complaints.not_reporter': {
    th: 'เฉพาะผู้แจ้งเรื่องนี้เท่านั้นที่ทำรายการนี้ได้',
    en: 'Only the person who reported this complaint can do this',
  },
  'complaints.not_resolved': {
    th: 'เรื่องนี้ยังไม่ได้รับการแก้ไขเสร็จ',
    en: 'This complaint has not been resolved',
  },
  'complaints.already_rated': { th: 'ให้คะแนนเรื่องนี้ไปแล้ว', en: 'This complaint has already been rated' },
  'complaints.reopen_window_passed': {
    th: 'เปิดเรื่องใหม่ได้ภายใน 14 วันหลังแก้ไขเสร็จเท่านั้น',
    en: 'A complaint can be reopened only within 14 days of its resolution',
  },
  'complaints.merge_into_self': {
    th: 'รวมเรื่องเข้ากับตัวเองไม่ได้',
    en: 'A complaint cannot be merged into itself',
  },
  'complaints.holiday_exists': { th: 'วันนี้เป็นวันหยุดอยู่แล้ว', en: 'That day is already a holiday' },
  'complaints.holiday_not_found': { th: 'ไม่พบวันหยุดนี้', en: 'There is no such holiday' },
});

const tags = ['complaints'];
const staffWriters = ['admin', 'office_manager', 'officer'] as ('admin' | 'office_manager' | 'officer')[];
const staffReaders = ['admin', 'executive', 'office_manager', 'officer'] as (
  | 'admin'
  | 'executive'
  | 'office_manager'
  | 'officer'
)[];
type Ref = { reference: string };

/** Rating and reopening (the reporter), merging and forwarding (staff), the holiday list, the sweep. */
export async function aftercareRoutes(app: FastifyInstance, service: ComplaintsService) {
  const aftercare = new ComplaintsAftercare(app.db, service, app.events);
  const sweeper = new ComplaintsSweeper(app.db, service, app.events, app.log);
  app.addHook('onReady', async () => sweeper.start());
  app.addHook('onClose', async () => sweeper.stop());

  app.post(
    '/requests/:reference/rating',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Rate a resolved complaint 1–5 with an optional comment (its reporter only, once)',
        params: RefParam,
        body: RatingBody,
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await aftercare.rate(
            (request.params as Ref).reference,
            request.body as RatingInput,
            request.principal!,
            request.actor(),
          ),
        ),
  );

  app.post(
    '/requests/:reference/reopen',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Reopen a resolved complaint within 14 days, with a reason (its reporter only)',
        params: RefParam,
        body: ReopenBody,
      },
    },
    (request) =>
      aftercare.reopen(
        (request.params as Ref).reference,
        (request.body as { reason: string }).reason,
        request.principal!,
        request.actor(),
      ),
  );

  app.post(
    '/requests/:reference/merge',
    {
      config: { access: staffWriters },
      schema: {
        tags,
        summary: 'Close a duplicate into the request that is kept; its supporters move there',
        params: RefParam,
        body: MergeBody,
      },
    },
    (request) => {
      const body = request.body as { into: string; note?: string };
      return aftercare.merge(
        (request.params as Ref).reference,
        body.into,
        body.note,
        request.principal!,
        request.actor(),
      );
    },
  );

  app.post(
    '/requests/:reference/forward',
    {
      config: { access: staffWriters },
      schema: {
        tags,
        summary: 'Forward to an outside agency, with a note the citizen reads',
        params: RefParam,
        body: ForwardBody,
      },
    },
    (request) => {
      const body = request.body as { agency: string; note: string };
      return aftercare.forward(
        (request.params as Ref).reference,
        body.agency,
        body.note,
        request.principal!,
        request.actor(),
      );
    },
  );

  app.get(
    '/holidays',
    {
      config: { access: staffReaders },
      schema: {
        tags,
        summary: 'Public holidays on which no SLA time runs',
        querystring: HolidayQuery,
        response: { 200: Type.Array(HolidaySchema) },
      },
    },
    (request) => aftercare.holidays((request.query as { year?: number }).year),
  );

  app.post(
    '/holidays',
    {
      config: { access: ['admin'] },
      schema: {
        tags,
        summary: 'Add a public holiday (applies to requests filed from now on)',
        body: NewHolidayBody,
        response: { 201: HolidaySchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await aftercare.addHoliday(
            request.body as { day: string; nameTh: string; nameEn: string; source?: string },
            request.actor(),
          ),
        ),
  );

  app.delete(
    '/holidays/:day',
    {
      config: { access: ['admin'] },
      schema: { tags, summary: 'Remove a public holiday', params: HolidayParam },
    },
    async (request, reply) => {
      await aftercare.removeHoliday((request.params as { day: string }).day, request.actor());
      return reply.code(204).send();
    },
  );
}
