import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { photosBodyLimit } from '../../core/media/schema.ts';
import { storedName } from '../../core/media/store.ts';
import type { Priority } from './domain.ts';
import { ComplaintsNotifier } from './notify.ts';
import { photosDir } from './photos.ts';
import { publicRoutes } from './public.ts';
import { aftercareRoutes } from './routes-aftercare.ts';
import { pushRoutes } from './routes-push.ts';
import {
  AssignBody,
  CategorySchema,
  NearbyQuery,
  type NewRequest,
  NewRequestBody,
  NoteBody,
  type NoteInput,
  PageQuery,
  PhotoParam,
  PriorityBody,
  PublicRequestSchema,
  type QueueInput,
  QueueItemSchema,
  QueueQuery,
  RefParam,
  RequestDetailSchema,
  TransitionBody,
  type TransitionInput,
} from './schemas.ts';
import { ComplaintsService } from './service.ts';

const tags = ['complaints'];
const staffWriters = ['admin', 'office_manager', 'officer'] as ('admin' | 'office_manager' | 'officer')[];
const staffReaders = ['admin', 'executive', 'office_manager', 'officer'] as (
  | 'admin'
  | 'executive'
  | 'office_manager'
  | 'officer'
)[];

/** Anonymous reports per address per hour; signed-in people are accountable and not limited here. */
export const anonymousReportsPerHour = 10;

const Page = (item: ReturnType<typeof Type.Object>) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    page: Type.Integer(),
    pageSize: Type.Integer(),
  });

type Ref = { reference: string };

/** "You Pee" for citizens and staff: thin routes over ComplaintsService. */
export async function complaintsRoutes(app: FastifyInstance) {
  const photos = photosDir(app.config.DATA_DIR);
  const service = new ComplaintsService(app.db, photos);
  await aftercareRoutes(app, service);
  new ComplaintsNotifier(app.db, app.mail, app.log).subscribe(app.events);
  await publicRoutes(app);
  await pushRoutes(app);

  app.get(
    '/categories',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'Categories of complaint', response: { 200: Type.Array(CategorySchema) } },
    },
    () => service.categories(),
  );

  app.post(
    '/requests',
    {
      config: {
        access: 'public',
        rateLimit: { max: anonymousReportsPerHour, timeWindow: '1 hour' },
      },
      bodyLimit: photosBodyLimit,
      schema: {
        tags,
        summary:
          'File a complaint: signed in, or anonymous with a contact (email or phone) that is never shown publicly',
        body: NewRequestBody,
        response: { 201: RequestDetailSchema },
      },
    },
    async (request, reply) => {
      const p = request.principal;
      const body = request.body as NewRequest;
      const created = await service.create(
        body,
        { userId: p?.userId ?? null, contact: body.contact, lang: request.locale },
        request.actor(),
      );
      reply.code(201).header('location', `/api/complaints/requests/${created.reference}`);
      return service.get(created.reference, p, request.actor(), true);
    },
  );

  app.get(
    '/requests/mine',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'The complaints I filed',
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Page(PublicRequestSchema) },
      },
    },
    async (request) => {
      const q = request.query as { page: number; pageSize: number };
      return service.mine(request.principal!.userId, q.page, q.pageSize);
    },
  );

  app.get(
    '/requests/:reference',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          'A complaint by its reference: the public view, with the contact for its reporter and for staff (audited), internal notes for staff',
        params: RefParam,
        response: { 200: RequestDetailSchema },
      },
    },
    (request) => service.get((request.params as Ref).reference, request.principal, request.actor()),
  );

  app.get(
    '/requests/:reference/photos/:id',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'A photo of a complaint (its reporter, and the staff who may read it; not public)',
        params: PhotoParam,
      },
    },
    async (request, reply) => {
      const { reference, id } = request.params as { reference: string; id: string };
      const name = await service.photoFile(reference, id, request.principal!, request.actor());
      // Only names made by storeImages are joined into a path.
      if (!storedName.test(name)) throw AppError.notFound();
      return reply
        .type('image/jpeg')
        .header('cache-control', 'private, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', 'inline')
        .send(await readFile(join(photos, name)));
    },
  );

  app.get(
    '/nearby',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          'Open complaints of the same category within 250 m filed in the last 6 months (to "+1" instead)',
        querystring: NearbyQuery,
        response: {
          200: Type.Array(Type.Intersect([PublicRequestSchema, Type.Object({ distance: Type.Integer() })])),
        },
      },
    },
    (request) => {
      const q = request.query as { category: string; lat: number; lon: number };
      return service.nearby(q.category, q.lat, q.lon);
    },
  );

  app.post(
    '/requests/:reference/support',
    {
      config: { access: 'user' },
      schema: { tags, summary: '"+1": I have the same problem (once per person)', params: RefParam },
    },
    (request) =>
      service.support((request.params as Ref).reference, request.principal!.userId, request.actor()),
  );

  app.post(
    '/integrators',
    {
      config: { access: ['admin'] },
      schema: {
        tags,
        summary: 'Issue an Open311 API key to an integrator (shown once)',
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.issueKey((request.body as { name: string }).name, request.actor())),
  );

  app.get(
    '/queue',
    {
      config: { access: staffReaders },
      schema: {
        tags,
        summary:
          "An office's queue, newest first (office staff: their own office; admins and executives: any)",
        querystring: QueueQuery,
        response: { 200: Page(QueueItemSchema) },
      },
    },
    (request) => service.queue(request.principal!, request.query as QueueInput),
  );

  app.post(
    '/requests/:reference/transitions',
    {
      config: { access: staffWriters },
      bodyLimit: photosBodyLimit,
      schema: {
        tags,
        summary:
          'Move a complaint to its next status, with a public or internal note and "after" photos (409 when not allowed)',
        params: RefParam,
        body: TransitionBody,
      },
    },
    (request) =>
      service.transition(
        (request.params as Ref).reference,
        request.body as TransitionInput,
        request.principal!,
        request.actor(),
      ),
  );

  app.post(
    '/requests/:reference/notes',
    {
      config: { access: staffWriters },
      bodyLimit: photosBodyLimit,
      schema: {
        tags,
        summary: 'Add a public or internal note, with photos',
        params: RefParam,
        body: NoteBody,
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await service.addNote(
            (request.params as Ref).reference,
            request.body as NoteInput,
            request.principal!,
            request.actor(),
          ),
        ),
  );

  app.post(
    '/requests/:reference/assignment',
    {
      config: { access: staffWriters },
      schema: { tags, summary: 'Hand a complaint to another office', params: RefParam, body: AssignBody },
    },
    (request) => {
      const body = request.body as { office: string; note?: string };
      return service.reassign(
        (request.params as Ref).reference,
        body.office,
        body.note,
        request.principal!,
        request.actor(),
      );
    },
  );

  app.post(
    '/requests/:reference/priority',
    {
      config: { access: staffWriters },
      schema: { tags, summary: 'Set the priority', params: RefParam, body: PriorityBody },
    },
    (request) =>
      service.setPriority(
        (request.params as Ref).reference,
        (request.body as { priority: Priority }).priority,
        request.principal!,
        request.actor(),
      ),
  );
}
