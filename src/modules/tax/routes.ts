import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { audit } from '../../core/audit/audit.ts';
import { AppError } from '../../core/errors.ts';
import { ParcelImports } from './import-job.ts';
import { qrPng } from './promptpay.ts';
import {
  BillSchema,
  DeclarationBody,
  type DeclarationInput,
  IdParam,
  OwnerBody,
  type OwnerInput,
  ParcelBody,
  type ParcelInput,
  PaymentBody,
  type PaymentInput,
  SignBody,
  type SignInput,
  YearParam,
} from './schemas.ts';
import { TaxService } from './service.ts';
import { parseStatement } from './statement.ts';

const tags = ['tax'];
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const revenue = {
  access: ['admin', 'office_manager', 'officer'] as ('admin' | 'office_manager' | 'officer')[],
  offices: ['finance'],
};
const readers = {
  access: ['admin', 'executive', 'office_manager', 'officer'] as (
    | 'admin'
    | 'executive'
    | 'office_manager'
    | 'officer'
  )[],
  offices: ['finance'],
};
const Created = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: true });

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

/** Local taxes: thin routes over TaxService. */
export async function taxRoutes(app: FastifyInstance) {
  const service = new TaxService(app.db, {
    billerId: app.config.TAX_BILLER_ID,
    webhookSecret: app.config.TAX_WEBHOOK_SECRET,
  });

  // The bank signs the exact bytes it sent, so this module keeps the raw JSON text next to the parsed body.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    (request as FastifyRequest).rawBody = body as string;
    try {
      done(null, body === '' ? undefined : JSON.parse(body as string));
    } catch (e) {
      (e as { statusCode?: number }).statusCode = 400;
      done(e as Error, undefined);
    }
  });

  app.post(
    '/owners',
    {
      config: revenue,
      schema: {
        tags,
        summary: 'Register a tax payer (person or juristic person)',
        body: OwnerBody,
        response: { 201: Created },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.createOwner(request.body as OwnerInput, request.actor())),
  );

  app.post(
    '/parcels',
    {
      config: revenue,
      schema: {
        tags,
        summary: 'Register a parcel with its buildings and uses',
        body: ParcelBody,
        response: { 201: Created },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.createParcel(request.body as ParcelInput, request.actor())),
  );

  app.post(
    '/signs',
    {
      config: revenue,
      schema: { tags, summary: 'Register a signboard', body: SignBody, response: { 201: Created } },
    },
    async (request, reply) =>
      reply.code(201).send(await service.createSign(request.body as SignInput, request.actor())),
  );

  app.post(
    '/assessments/:year',
    {
      config: revenue,
      schema: {
        tags,
        summary: 'Assess the register for a tax year (B.E.) and issue its bills',
        params: YearParam,
      },
    },
    async (request) => service.runAssessment((request.params as { year: number }).year, request.actor()),
  );

  const BillsQuery = Type.Object(
    {
      year: Type.Optional(Type.Integer({ minimum: 2560, maximum: 2700 })),
      status: Type.Optional(
        Type.Union([
          Type.Literal('open'),
          Type.Literal('nothing_due'),
          Type.Literal('paid'),
          Type.Literal('cancelled'),
        ]),
      ),
      limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
      offset: Type.Integer({ minimum: 0, default: 0 }),
    },
    { additionalProperties: false },
  );
  app.get(
    '/bills',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Bills (staff)',
        querystring: BillsQuery,
        response: { 200: Type.Array(BillSchema) },
      },
    },
    async (request) => {
      const bills = await service.repo.bills(request.query as { limit: number; offset: number });
      await audit(app.db.orm, request.actor(), {
        action: 'tax.bill.list',
        resourceType: 'tax.bill',
        detail: { count: bills.length },
      });
      return bills.map((b) => service.view(b));
    },
  );

  app.get(
    '/mine',
    {
      config: { access: 'citizen' },
      schema: {
        tags,
        summary: 'My bills (matched by my national ID)',
        response: { 200: Type.Array(BillSchema) },
      },
    },
    async (request) => {
      const nationalId = request.principal!.nationalId;
      if (!nationalId) return [];
      const bills = await service.repo.billsOfTaxId(nationalId);
      return Promise.all(bills.map(async (b) => service.view(b, await service.repo.instalments(b.id))));
    },
  );

  /** A citizen sees only their own bills; finance staff, admins and executives see any, and that read is audited. */
  async function readableBill(request: FastifyRequest) {
    const bill = await service.repo.bill((request.params as { id: string }).id);
    const p = request.principal!;
    if (!bill) throw AppError.notFound();
    if (p.kind === 'citizen') {
      if (!p.nationalId || p.nationalId !== bill.ownerTaxId) throw AppError.notFound();
      return bill;
    }
    if ((p.role === 'officer' || p.role === 'office_manager') && p.officeCode !== 'finance')
      throw AppError.forbidden();
    await audit(app.db.orm, request.actor(), {
      action: 'tax.bill.read',
      resourceType: 'tax.bill',
      resourceId: bill.id,
    });
    return bill;
  }

  app.get(
    '/bills/:id',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'One bill with its working and Thai QR payload',
        params: IdParam,
        response: { 200: BillSchema },
      },
    },
    async (request) => {
      const bill = await readableBill(request);
      return service.view(bill, await service.repo.instalments(bill.id));
    },
  );

  app.get(
    '/bills/:id/qr.png',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'The bill’s PromptPay QR as PNG (or one instalment’s, with ?instalment=N)',
        params: IdParam,
        querystring: Type.Object(
          { instalment: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const bill = await readableBill(request);
      const view = service.view(bill, await service.repo.instalments(bill.id));
      const seq = (request.query as { instalment?: number }).instalment;
      const part = seq === undefined ? view : view.instalments.find((i) => i.seq === seq);
      if (
        !part?.promptpay ||
        part.status !== 'open' ||
        (seq === undefined &&
          view.instalments.length > 0 &&
          view.instalments.some((i) => i.status === 'paid'))
      ) {
        throw AppError.conflict('tax.bill_not_payable');
      }
      return reply
        .type('image/png')
        .header('cache-control', 'private, no-store')
        .send(await qrPng(part.promptpay, 360));
    },
  );

  app.post(
    '/bills/:id/instalments',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Pay a land and building tax bill of 3,000 baht or more in three monthly instalments',
        params: IdParam,
        response: { 201: BillSchema },
      },
    },
    async (request, reply) => {
      const bill = await readableBill(request);
      const instalments = await service.planInstalments(bill, request.actor());
      return reply.code(201).send(service.view(bill, instalments));
    },
  );

  app.get(
    '/bills/:id/receipt.pdf',
    {
      config: { access: 'user' },
      schema: { tags, summary: 'Receipt (PDF, Thai) of a paid bill', params: IdParam },
    },
    async (request, reply) => {
      const bill = await readableBill(request);
      if (bill.status !== 'paid') throw AppError.conflict('tax.bill_not_paid');
      const base = app.config.PUBLIC_URL ?? `${request.protocol}://${request.host}`;
      // pdfkit is loaded on the first receipt, not at start-up.
      const { receiptPdf } = await import('./receipt.ts');
      const pdf = await receiptPdf(bill, `${base}/api/tax/verify/${bill.id}`);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="receipt-${bill.number}.pdf"`)
        .send(pdf);
    },
  );

  // What the receipt's QR opens: the municipality's own record of the bill, without personal data.
  app.get(
    '/verify/:id',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Verify a receipt: the bill as the municipality records it (no personal data)',
        params: IdParam,
        response: {
          200: Type.Object({
            number: Type.String(),
            taxYear: Type.Integer(),
            taxKind: Type.String(),
            amountBaht: Type.String(),
            status: Type.String(),
            paidAt: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const bill = await service.repo.bill((request.params as { id: string }).id);
      if (!bill) throw AppError.notFound();
      const v = service.view(bill);
      return {
        number: v.number,
        taxYear: v.taxYear,
        taxKind: v.taxKind,
        amountBaht: v.amountBaht,
        status: v.status,
        paidAt: v.paidAt,
      };
    },
  );

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
        throw AppError.badRequest('request.unsupported_media_type', 'send the statement as text/csv');
      let rows: ReturnType<typeof parseStatement>;
      try {
        rows = parseStatement(request.body);
      } catch (e) {
        throw AppError.badRequest('request.malformed', (e as Error).message);
      }
      const results = [];
      for (const row of rows) {
        if (!row.payment) results.push({ line: row.line, error: row.error });
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
      bodyLimit: 14 * 1024 * 1024,
      schema: { tags, summary: 'Declare a signboard (ภ.ป.1) with up to three photos', body: DeclarationBody },
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
    async (request) => service.repo.declarations({ declaredBy: request.principal!.userId }),
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
      schema: { tags, summary: 'Accept a declared signboard into the register', params: IdParam },
    },
    async (request) => service.acceptDeclaration((request.params as { id: string }).id, request.actor()),
  );

  const ArrearsQuery = Type.Object(
    { asOf: Type.Optional(Type.String({ format: 'date' })) },
    { additionalProperties: false },
  );
  app.get(
    '/arrears',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Open bills past due, with the surcharge and penalty as of a day (default today)',
        querystring: ArrearsQuery,
      },
    },
    async (request) => {
      const asOf =
        (request.query as { asOf?: string }).asOf ??
        new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Bangkok' });
      const list = await service.arrears(asOf);
      await audit(app.db.orm, request.actor(), {
        action: 'tax.arrears.read',
        resourceType: 'tax.bill',
        detail: { asOf, count: list.length },
      });
      return { asOf, bills: list };
    },
  );

  app.addContentTypeParser(
    xlsxType,
    { parseAs: 'buffer', bodyLimit: 50 * 1024 * 1024 },
    (_request, body, done) => done(null, body),
  );
  const imports = new ParcelImports(app.db, app.log);
  await imports.markInterrupted();
  app.post(
    '/imports/parcels',
    {
      config: revenue,
      bodyLimit: 50 * 1024 * 1024,
      schema: {
        tags,
        summary: `Import a parcel register (text/csv or an Excel .xlsx first sheet, with a header; columns: ${['ownerTaxId', 'ownerKind', 'ownerName', 'deedKind', 'deedNo', 'rai', 'ngan', 'wa', 'valuePerM2Baht', 'use', 'mainHome', 'vacantYears', 'lon', 'lat'].join(', ')}); runs in the background`,
        consumes: ['text/csv', xlsxType],
      },
    },
    async (request, reply) => {
      if (typeof request.body !== 'string' && !Buffer.isBuffer(request.body)) {
        throw AppError.badRequest(
          'request.unsupported_media_type',
          'send the register as text/csv or an Excel .xlsx file',
        );
      }
      const job = await imports.start(request.body, request.actor());
      return reply
        .code(202)
        .header('location', `/api/tax/imports/${job.id}`)
        .send({ id: job.id, total: job.total });
    },
  );

  app.get(
    '/imports/:id',
    { config: revenue, schema: { tags, summary: 'Progress and row errors of an import', params: IdParam } },
    async (request) => {
      const status = await imports.status((request.params as { id: string }).id);
      if (!status) throw AppError.notFound();
      return status;
    },
  );

  app.get(
    '/payments/unmatched',
    {
      config: readers,
      schema: { tags, summary: 'Payments that need a person: unknown bill, wrong amount, already paid' },
    },
    () => service.repo.unmatchedPayments(),
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
