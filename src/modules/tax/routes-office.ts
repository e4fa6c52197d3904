import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { audit } from '../../core/audit/audit.ts';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';
import { maxPhotos, photosBodyLimit } from '../../core/media/schema.ts';
import { storedName } from '../../core/media/store.ts';
import { readers, revenue, tags, xlsxType } from './access.ts';
import { type ArrearsFilter, arrearsPage } from './arrears.ts';
import {
  AppraisalRow,
  BuildingCostRow,
  BuildingRow,
  columnsOf,
  DepreciationRow,
  OwnerRow,
  ParcelRow,
  SignRow,
} from './import.ts';
import { type ImportKind, RegisterImports } from './import-job.ts';
import { bangkokDay } from './late.ts';
import { PaymentQueue, ResolveBody, type ResolveInput } from './payment-resolve.ts';
import {
  AcceptBody,
  type AcceptInput,
  DeclarationBody,
  type DeclarationInput,
  IdParam,
  PaymentBody,
  type PaymentInput,
  YearParam,
} from './schemas.ts';
import type { TaxService } from './service.ts';
import { parseStatement } from './statement.ts';

/**
 * The finance office's side and the bank's: payments (webhook, statement), declarations waiting for
 * an officer, arrears, register imports and reports. Registered inside taxRoutes, so it shares its
 * body parsers.
 */
export async function officeRoutes(app: FastifyInstance, service: TaxService) {
  app.post(
    '/payments/webhook',
    {
      config: { access: 'signature', rateLimit: { max: 600, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary:
          'Payment notice from the bank: HMAC-SHA256 over "timestamp.body" in x-mueang-signature, unix seconds in x-mueang-timestamp',
        body: PaymentBody,
      },
      // The signature is checked before the body's schema, so a forged call learns nothing.
      preValidation: async (request) => {
        service.verifyWebhook(
          request.rawBody ?? '',
          request.headers['x-mueang-timestamp'] as string | undefined,
          request.headers['x-mueang-signature'] as string | undefined,
        );
      },
    },
    async (request) =>
      service.recordPayment(request.body as PaymentInput, 'webhook', {
        ...request.actor(),
        label: 'bank-webhook',
      }),
  );

  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: 20 * 1024 * 1024 },
    (_request, body, done) => done(null, body),
  );
  app.post(
    '/payments/statement',
    {
      config: revenue,
      bodyLimit: 20 * 1024 * 1024,
      schema: {
        tags,
        summary:
          'Upload the bank statement (text/csv: transactionId,billNumber,amount,paidAt); each row is reconciled like a webhook call',
        consumes: ['text/csv'],
      },
    },
    async (request) => {
      if (typeof request.body !== 'string')
        throw AppError.badRequest('request.unsupported_media_type', msg('request.send_csv'));
      let rows: ReturnType<typeof parseStatement>;
      try {
        rows = parseStatement(request.body);
      } catch (e) {
        if (e instanceof AppError) throw e;
        // The CSV or workbook reader's own words, in English, after a sentence in the reader's language.
        throw AppError.badRequest(
          'request.malformed',
          msg('request.unreadable_file', { reason: (e as Error).message }),
        );
      }
      const results = [];
      for (const row of rows) {
        if (!row.payment) results.push({ line: row.line, ...row.reason });
        else
          results.push({
            line: row.line,
            ...(await service.recordPayment(row.payment, 'statement', request.actor())),
          });
      }
      return {
        rows: results.length,
        matched: results.filter((r) => 'status' in r && r.status === 'matched' && !r.duplicate).length,
        results,
      };
    },
  );

  const uploads = join(app.config.DATA_DIR, 'uploads', 'tax');
  app.post(
    '/declarations',
    {
      config: { access: 'citizen' },
      bodyLimit: photosBodyLimit,
      schema: { tags, summary: 'Declare a signboard (ภ.ป.1) with up to five photos', body: DeclarationBody },
    },
    async (request, reply) => {
      const p = request.principal!;
      const created = await service.declareSign(
        request.body as DeclarationInput,
        { userId: p.userId, nationalId: p.nationalId, displayName: p.displayName },
        uploads,
        request.actor(),
      );
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/declarations/mine',
    { config: { access: 'citizen' }, schema: { tags, summary: 'My signboard declarations' } },
    async (request) => {
      const list = await service.repo.declarations({ declaredBy: request.principal!.userId });
      // The declarant's own reads are recorded too (as /my/properties): each names their sign and place.
      await audit(app.db.orm, request.actor(), {
        action: 'tax.declaration.mine',
        resourceType: 'tax.sign',
        detail: { count: list.length },
      });
      return list;
    },
  );

  app.get(
    '/declarations',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Signboard declarations waiting for an officer',
        querystring: Type.Object({}, { additionalProperties: false }),
      },
    },
    async (request) => {
      const list = await service.repo.declarations({ status: 'declared' });
      await audit(app.db.orm, request.actor(), {
        action: 'tax.declaration.list',
        resourceType: 'tax.sign',
        detail: { count: list.length },
      });
      return list;
    },
  );

  app.post(
    '/declarations/:id/accept',
    {
      config: revenue,
      schema: {
        tags,
        summary:
          'Accept a declared signboard into the register, with the size, type or moving staff found where the ภ.ป.1 differs',
        params: IdParam,
        body: AcceptBody,
      },
      // The screen's button sends no body: nothing found that differs from the ภ.ป.1.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) =>
      service.acceptDeclaration(
        (request.params as { id: string }).id,
        (request.body ?? {}) as AcceptInput,
        request.actor(),
      ),
  );

  app.post(
    '/declarations/:id/reject',
    {
      config: revenue,
      schema: {
        tags,
        summary: 'Refuse a declared signboard, saying why (the citizen sees the reason)',
        params: IdParam,
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 1000, pattern: '\\S' }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) =>
      service.rejectDeclaration(
        (request.params as { id: string }).id,
        (request.body as { reason: string }).reason.trim(),
        request.actor(),
      ),
  );

  const photoTypes: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };
  app.get(
    '/declarations/:id/photos/:n',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'A photo of a declared signboard (its declarant, or finance staff)',
        params: Type.Object(
          { id: Type.String({ format: 'uuid' }), n: Type.Integer({ minimum: 1, maximum: maxPhotos }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { id, n } = request.params as { id: string; n: number };
      const p = request.principal!;
      const found = await service.repo.declarationPhotos(id);
      const name = found?.photos[n - 1];
      if (!found || !name) throw AppError.notFound();
      if (p.kind === 'citizen') {
        if (found.declaredBy !== p.userId) throw AppError.notFound();
      } else {
        const finance =
          p.role === 'admin' ||
          p.role === 'executive' ||
          ((p.role === 'officer' || p.role === 'office_manager') && p.officeCode === 'finance');
        if (!finance) throw AppError.forbidden();
      }
      // The declarant's own reads are audited as staff reads are.
      await audit(app.db.orm, request.actor(), {
        action: 'tax.sign.photo.read',
        resourceType: 'tax.sign',
        resourceId: id,
        detail: { n },
      });
      // Stored names are random UUIDs made by storeImages; anything else is not served.
      const match = storedName.exec(name);
      if (!match) throw AppError.notFound();
      return reply
        .type(photoTypes[match[1]])
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', 'inline')
        .send(await readFile(join(uploads, name)));
    },
  );

  const ArrearsQuery = Type.Object(
    {
      asOf: Type.Optional(Type.String({ format: 'date' })),
      taxKind: Type.Optional(Type.Union([Type.Literal('land-building'), Type.Literal('sign')])),
      zone: Type.Optional(
        Type.String({ minLength: 1, maxLength: 50, description: "a municipal zone's code (parcels only)" }),
      ),
      limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
      offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
    },
    { additionalProperties: false },
  );
  app.get(
    '/arrears',
    {
      config: readers,
      schema: {
        tags,
        summary:
          'Open bills past due, with the surcharge and penalty as of a day (default today): a page, the count and the totals of all of them',
        querystring: ArrearsQuery,
      },
    },
    async (request) => {
      const q = request.query as Omit<ArrearsFilter, 'asOf'> & {
        asOf?: string;
        limit: number;
        offset: number;
      };
      const asOf = q.asOf ?? bangkokDay();
      const page = await arrearsPage(app.db, { asOf, taxKind: q.taxKind, zone: q.zone }, q.limit, q.offset);
      await audit(app.db.orm, request.actor(), {
        action: 'tax.arrears.read',
        resourceType: 'tax.bill',
        detail: {
          asOf,
          taxKind: q.taxKind ?? null,
          zone: q.zone ?? null,
          offset: q.offset,
          count: page.bills.length,
          total: page.total,
        },
      });
      return page;
    },
  );

  app.addContentTypeParser(
    xlsxType,
    { parseAs: 'buffer', bodyLimit: 50 * 1024 * 1024 },
    (_request, body, done) => done(null, body),
  );
  const imports = new RegisterImports(app.db, app.log);
  await imports.markInterrupted();
  const importable: [ImportKind, string, string[]][] = [
    ['parcels', 'a parcel register', columnsOf(ParcelRow)],
    ['buildings', 'buildings on registered parcels (found by deed)', columnsOf(BuildingRow)],
    ['signs', 'signboards with their owners', columnsOf(SignRow)],
    ['owners', 'owners (kind, tax ID, name, address) on their own', columnsOf(OwnerRow)],
    [
      'appraisals',
      "the Treasury's land appraisal for a round (per parcel by deed, or per zone and block)",
      columnsOf(AppraisalRow),
    ],
    [
      'depreciation',
      "the Treasury's building-depreciation table (by type and age)",
      columnsOf(DepreciationRow),
    ],
    [
      'building-costs',
      "the Treasury's building appraisal for a round (cost per m² by building type)",
      columnsOf(BuildingCostRow),
    ],
  ];
  for (const [kind, what, columns] of importable) {
    app.post(
      `/imports/${kind}`,
      {
        config: revenue,
        bodyLimit: 50 * 1024 * 1024,
        schema: {
          tags,
          summary: `Import ${what} (text/csv or an Excel .xlsx first sheet, with a header; columns: ${columns.join(', ')}); runs in the background`,
          consumes: ['text/csv', xlsxType],
        },
      },
      async (request, reply) => {
        if (typeof request.body !== 'string' && !Buffer.isBuffer(request.body)) {
          throw AppError.badRequest('request.unsupported_media_type', msg('request.send_csv_or_xlsx'));
        }
        const job = await imports.start(kind, request.body, request.actor());
        return reply
          .code(202)
          .header('location', `/api/tax/imports/${job.id}`)
          .send({ id: job.id, total: job.total });
      },
    );
  }

  app.get(
    '/imports/:id',
    { config: revenue, schema: { tags, summary: 'Progress and row errors of an import', params: IdParam } },
    async (request) => {
      const status = await imports.status((request.params as { id: string }).id);
      if (!status) throw AppError.notFound();
      // Row errors name deeds and owners, so every read is audited, each poll of a running job included.
      await audit(app.db.orm, request.actor(), {
        action: 'tax.import.read',
        resourceType: 'tax.import',
        resourceId: status.id,
        detail: { kind: status.kind, status: status.status, errors: status.errors.length },
      });
      return status;
    },
  );

  const queue = new PaymentQueue(app.db, service.repo);
  app.get(
    '/payments/unmatched',
    {
      config: readers,
      schema: {
        tags,
        summary:
          'Payments that need a person: unknown bill, wrong amount, already paid (state=resolved: those settled); the read is audited',
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved')])),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const q = request.query as { state?: 'open' | 'resolved'; limit: number; offset: number };
      const state = q.state ?? 'open';
      const page = await queue.list(state, q.limit, q.offset);
      // The rows name the likely payer (the owner of the bill the bank's reference names).
      await audit(app.db.orm, request.actor(), {
        action: 'tax.payment.queue.read',
        resourceType: 'tax.payment',
        detail: { state, offset: q.offset, count: page.items.length, total: page.total },
      });
      return { ...page, limit: q.limit, offset: q.offset };
    },
  );

  app.post(
    '/payments/:id/resolve',
    {
      config: revenue,
      schema: {
        tags,
        summary:
          'Settle a queued payment once: match it to a bill (a different amount only with difference "refund"), or close it as "refund" or "not_ours" with a reason',
        params: IdParam,
        body: ResolveBody,
      },
    },
    async (request) =>
      queue.resolve((request.params as { id: string }).id, request.body as ResolveInput, request.actor()),
  );

  app.get(
    '/reports/:year',
    {
      config: readers,
      schema: { tags, summary: 'Billed, collected and outstanding by tax kind and zone', params: YearParam },
    },
    async (request) => service.report((request.params as { year: number }).year),
  );
}
