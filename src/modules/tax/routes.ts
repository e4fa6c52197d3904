import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { audit } from '../../core/audit/audit.ts';
import { AppError } from '../../core/errors.ts';
import { readers, revenue, tags } from './access.ts';
import { amountDue, bangkokDay } from './late.ts';
import { reminderOf } from './late-book.ts';
import { municipalityOf } from './municipality.ts';
import { myPropertiesRoutes } from './my-properties.ts';
import { qrPng } from './promptpay.ts';
import { registerBuildingRoutes } from './register-buildings.ts';
import { registerNewRoutes } from './register-new.ts';
import type { BillFilter } from './repository.ts';
import { officeRoutes } from './routes-office.ts';
import { rateRoutes } from './routes-rates.ts';
import { registerRoutes } from './routes-register.ts';
import { reminderRoutes } from './routes-reminders.ts';
import {
  BillSchema,
  IdParam,
  OwnerBody,
  type OwnerInput,
  ParcelBody,
  type ParcelInput,
  SignBody,
  type SignInput,
  YearParam,
} from './schemas.ts';
import { TaxService } from './service.ts';

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
      kind: Type.Optional(Type.Union([Type.Literal('land-building'), Type.Literal('sign')])),
      number: Type.Optional(
        Type.String({ minLength: 1, maxLength: 30, description: 'Part of the bill number, any case' }),
      ),
      owner: Type.Optional(
        Type.String({ minLength: 1, maxLength: 200, description: "Part of the owner's name, any case" }),
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
      const bills = await service.repo.bills(request.query as BillFilter);
      await audit(app.db.orm, request.actor(), {
        action: 'tax.bill.list',
        resourceType: 'tax.bill',
        detail: { count: bills.length },
      });
      const book = service.lateBook();
      return Promise.all(bills.map((b) => service.view(b, [], undefined, book)));
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
      // The owner's own reads are recorded too, like /my/properties: the bills carry their name and what they owe.
      await audit(app.db.orm, request.actor(), {
        action: 'tax.bill.mine',
        resourceType: 'tax.bill',
        detail: { count: bills.length },
      });
      const book = service.lateBook();
      return Promise.all(
        bills.map(async (b) => service.view(b, await service.repo.instalments(b.id), undefined, book)),
      );
    },
  );

  /**
   * A citizen sees only their own bills; finance staff, admins and executives see any. Every read is
   * audited, the owner's own included; `part` says what was read ('bill', 'qr', 'receipt', ...).
   */
  async function readableBill(request: FastifyRequest, part = 'bill') {
    const bill = await service.repo.bill((request.params as { id: string }).id);
    const p = request.principal!;
    if (!bill) throw AppError.notFound();
    if (p.kind === 'citizen') {
      if (!p.nationalId || p.nationalId !== bill.ownerTaxId) throw AppError.notFound();
    } else if ((p.role === 'officer' || p.role === 'office_manager') && p.officeCode !== 'finance') {
      throw AppError.forbidden();
    }
    await audit(app.db.orm, request.actor(), {
      action: 'tax.bill.read',
      resourceType: 'tax.bill',
      resourceId: bill.id,
      detail: { part },
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
      return await service.view(bill, await service.repo.instalments(bill.id));
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
      const bill = await readableBill(request, 'qr');
      const view = await service.view(bill, await service.repo.instalments(bill.id));
      const seq = (request.query as { instalment?: number }).instalment;
      const part = seq === undefined ? view : view.instalments.find((i) => i.seq === seq);
      if (
        !part?.promptpay ||
        part.status !== 'open' ||
        (seq === undefined &&
          !view.instalmentsLapsed &&
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
        summary: 'Pay a bill in instalments, as its year’s rule allows (instalmentsAllowed in the bill view)',
        params: IdParam,
        response: { 201: BillSchema },
      },
    },
    async (request, reply) => {
      const bill = await readableBill(request, 'instalments');
      const instalments = await service.planInstalments(bill, request.actor());
      return reply.code(201).send(await service.view(bill, instalments));
    },
  );

  app.get(
    '/bills/:id/receipt.pdf',
    {
      config: { access: 'user' },
      schema: { tags, summary: 'Receipt (PDF, Thai) of a paid bill', params: IdParam },
    },
    async (request, reply) => {
      const bill = await readableBill(request, 'receipt');
      if (bill.status !== 'paid') throw AppError.conflict('tax.bill_not_paid');
      const base = app.config.PUBLIC_URL ?? `${request.protocol}://${request.host}`;
      // pdfkit is loaded on the first receipt, not at start-up.
      const { receiptPdf } = await import('./receipt.ts');
      const pdf = await receiptPdf(bill, `${base}/api/tax/verify/${bill.id}`, municipalityOf(app.config));
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="receipt-${bill.number}.pdf"`)
        .send(pdf);
    },
  );

  app.get(
    '/bills/:id/instalments/:seq/receipt.pdf',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary:
          'Receipt (PDF, Thai) of one paid instalment: the instalment n of all, its tax and late charges',
        params: Type.Object(
          { id: IdParam.properties.id, seq: Type.Integer({ minimum: 1, maximum: 12 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const bill = await readableBill(request);
      const plan = await service.repo.instalments(bill.id);
      const part = plan.find((i) => i.seq === (request.params as { seq: number }).seq);
      if (!part) throw AppError.notFound();
      if (part.status !== 'paid') throw AppError.conflict('tax.bill_not_paid');
      // The charges the bank's payment carried; settled with the rest of the bill, those of its own day.
      const charges =
        (await service.repo.instalmentCharges(part.number)) ??
        amountDue(
          part,
          bangkokDay(new Date(part.paidAt ?? Date.now())),
          await service.lateBook().rule(bill),
          reminderOf(bill),
        );
      const base = app.config.PUBLIC_URL ?? `${request.protocol}://${request.host}`;
      const { instalmentReceiptPdf } = await import('./receipt.ts');
      const pdf = await instalmentReceiptPdf(
        bill,
        {
          ...part,
          of: plan.length,
          surchargeSatang: charges.surchargeSatang,
          penaltySatang: charges.penaltySatang,
        },
        `${base}/api/tax/verify/${bill.id}?instalment=${part.seq}`,
        municipalityOf(app.config),
      );
      return reply
        .type('application/pdf')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `inline; filename="receipt-${part.number}.pdf"`)
        .send(pdf);
    },
  );

  app.get(
    '/bills/:id/notice.pdf',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary:
          'The bill as a payment notice (PDF, Thai with English): working, due date, amount due today with any late charges, and its PromptPay QR',
        params: IdParam,
      },
    },
    async (request, reply) => {
      const bill = await readableBill(request, 'notice');
      if (bill.status !== 'open' && bill.status !== 'nothing_due')
        throw AppError.conflict('tax.bill_not_payable');
      const view = await service.view(bill, await service.repo.instalments(bill.id));
      // The owner's own downloads are recorded too: the notice carries their name and what they owe.
      await audit(app.db.orm, request.actor(), {
        action: 'tax.bill.notice',
        resourceType: 'tax.bill',
        resourceId: bill.id,
        detail: { asOf: view.asOf, amountDueSatang: view.amountDueSatang },
      });
      const { noticePdf } = await import('./notice.ts');
      const rule = await service.lateBook().rule(bill);
      const pdf = await noticePdf(bill, view, rule, municipalityOf(app.config));
      return reply
        .type('application/pdf')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `inline; filename="bill-${bill.number}.pdf"`)
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
        summary:
          'Verify a receipt: the bill as the municipality records it (no personal data), with ?instalment=N the instalment too',
        params: IdParam,
        querystring: Type.Object(
          { instalment: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            number: Type.String(),
            taxYear: Type.Integer(),
            taxKind: Type.String(),
            amountBaht: Type.String(),
            status: Type.String(),
            paidAt: Type.Union([Type.String(), Type.Null()]),
            paidBaht: Type.Union([Type.String(), Type.Null()], {
              description: 'What was paid: the tax and any late charges (null until paid)',
            }),
            instalment: Type.Optional(
              Type.Object({
                seq: Type.Integer(),
                of: Type.Integer(),
                amountBaht: Type.String(),
                status: Type.String(),
                paidAt: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const bill = await service.repo.bill((request.params as { id: string }).id);
      if (!bill) throw AppError.notFound();
      const v = await service.view(bill);
      const seq = (request.query as { instalment?: number }).instalment;
      const plan = seq === undefined ? [] : await service.repo.instalments(bill.id);
      const part = plan.find((i) => i.seq === seq);
      if (seq !== undefined && !part) throw AppError.notFound();
      return {
        ...(part && {
          instalment: {
            seq: part.seq,
            of: plan.length,
            amountBaht: (part.amountSatang / 100).toFixed(2),
            status: part.status,
            paidAt: part.paidAt,
          },
        }),
        number: v.number,
        taxYear: v.taxYear,
        taxKind: v.taxKind,
        amountBaht: v.amountBaht,
        status: v.status,
        paidAt: v.paidAt,
        paidBaht: v.status === 'paid' ? v.amountDueBaht : null,
      };
    },
  );

  await officeRoutes(app, service);
  await myPropertiesRoutes(app, service);
  await registerRoutes(app, service);
  await registerBuildingRoutes(app);
  await registerNewRoutes(app, service);
  await rateRoutes(app);
  await reminderRoutes(app);
}
