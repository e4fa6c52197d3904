import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';
import { DeadLetterReplay } from '../ingestion/replay.ts';
import { DeviceImports } from './import-job.ts';
import { importColumns } from './import-rows.ts';
import {
  BulkReplaySchema,
  type DeadLetterFilter,
  DeadLetterPage,
  DeadLetterQuery,
  IdParam,
  ImportStatusSchema,
  ReplayFilter,
  type ReplayFilterInput,
  ReplayResultSchema,
} from './schemas.ts';
import { keepers } from './service.ts';

const tags = ['devices'];
const keep = { access: [...keepers] };
const csvLimit = 10 * 1024 * 1024;

/** The operators' bulk tools: CSV import of devices, and the dead letters with their replay. */
export async function operationRoutes(app: FastifyInstance) {
  const imports = new DeviceImports(app.db, app.log);
  // Replayed readings reach the rules as the worker's do (the evaluator's queue, when it is there).
  const replay = new DeadLetterReplay(app.db, (rows) => app.rules?.evaluator.enqueue(rows));
  await imports.markInterrupted();

  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: csvLimit }, (_r, body, done) =>
    done(null, body),
  );
  app.post(
    '/devices/import',
    {
      config: keep,
      bodyLimit: csvLimit,
      schema: {
        tags,
        summary: `Import devices from text/csv with a header row (columns: ${importColumns.join(', ')}; tags separated by ";"); runs in the background. Valid rows are stored, bad ones reported by row and column.`,
        consumes: ['text/csv'],
      },
    },
    async (request, reply) => {
      if (typeof request.body !== 'string')
        throw AppError.badRequest('request.unsupported_media_type', msg('request.send_csv'));
      const job = await imports.start(request.body, request.actor());
      return reply
        .code(202)
        .header('location', `/api/devices/imports/${job.id}`)
        .send({ id: job.id, total: job.total });
    },
  );
  app.get(
    '/devices/imports/:id',
    {
      config: keep,
      schema: {
        tags,
        summary: 'Progress and row errors of a device import (its starter’s, or any for admins)',
        params: IdParam,
        response: { 200: ImportStatusSchema },
      },
    },
    async (request) => {
      const status = await imports.status((request.params as { id: string }).id);
      const p = request.principal!;
      if (!status || (p.role !== 'admin' && status.startedBy !== p.userId)) throw AppError.notFound();
      return status;
    },
  );

  app.get(
    '/device-dead-letters',
    {
      config: keep,
      schema: {
        tags,
        summary:
          'Messages that could not be stored (unparseable, unknown device, undecodable…), newest first, with the total that match',
        querystring: DeadLetterQuery,
        response: { 200: DeadLetterPage },
      },
    },
    (request) => {
      const q = request.query as DeadLetterFilter;
      return replay.repo.deadLetters({ ...q, limit: q.limit ?? 100, offset: q.offset ?? 0 });
    },
  );
  app.post(
    '/device-dead-letters/:id/replay',
    {
      config: keep,
      schema: {
        tags,
        summary:
          'Run a dead letter again through today’s parser and profile: stored (marked replayed, kept) or its reason updated',
        params: IdParam,
        response: { 200: ReplayResultSchema },
      },
    },
    async (request) => {
      const letter = await replay.letter((request.params as { id: string }).id);
      if (!letter) throw AppError.notFound('resource.not_found', msg('devices.no_such_dead_letter'));
      const result = await replay.replay(letter, request.actor());
      if (result.outcome === 'forbidden') throw AppError.forbidden('devices.other_office');
      return result;
    },
  );
  app.post(
    '/device-dead-letters/replay',
    {
      config: keep,
      schema: {
        tags,
        summary: 'Replay the open dead letters of a filter (reason, DevEUI), oldest first, at most 1000',
        body: ReplayFilter,
        response: { 200: BulkReplaySchema },
      },
    },
    (request) => {
      const { limit, ...filter } = request.body as ReplayFilterInput;
      return replay.replayMatching(filter, limit ?? 500, request.actor());
    },
  );
}
