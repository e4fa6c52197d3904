import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { registerMessages } from '../../core/i18n.ts';
import { RuleEvaluator } from './evaluator.ts';
import {
  BacktestBody,
  type BacktestInput,
  BacktestResult,
  RuleBody,
  type RuleInput,
  RuleSchema,
} from './model.ts';
import { RuleService } from './service.ts';

registerMessages({
  'rules.clear_at_most': {
    th: 'ระดับยกเลิก (clearAt) ต้องไม่สูงกว่าค่าเกณฑ์',
    en: 'clearAt must be at most the threshold value',
  },
  'rules.clear_at_least': {
    th: 'ระดับยกเลิก (clearAt) ต้องไม่ต่ำกว่าค่าเกณฑ์',
    en: 'clearAt must be at least the threshold value',
  },
  'rules.not_found': { th: 'ไม่พบกฎนี้', en: 'The rule was not found' },
  'rules.bad_hysteresis': {
    th: 'ระดับยกเลิกการแจ้งเตือนต้องอยู่ฝั่งปกติของค่าเกณฑ์',
    en: 'The clear level must be on the normal side of the threshold',
  },
  'rules.bad_range': {
    th: 'ช่วงเวลาไม่ถูกต้อง (เริ่มก่อนสิ้นสุด ไม่เกิน 31 วัน)',
    en: 'The time range is invalid (from before to, at most 31 days)',
  },
});

const tags = ['rules'];
const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const manage = ['admin', 'office_manager'] as const;

/** Declarative rules on sensor readings at /api/rules: staff read them, managers change and backtest them. */
export async function rulesPlugin(app: FastifyInstance): Promise<void> {
  const evaluator = new RuleEvaluator(app.db, app.alerts, app.log);
  const service = new RuleService(app.db, evaluator);
  app.decorate('rules', service);
  app.addHook('onClose', () => evaluator.stop());

  app.get(
    '/api/rules',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Rules (office-bound staff: their office’s)',
        response: { 200: Type.Array(RuleSchema) },
      },
    },
    (request) => service.list(request.actor()),
  );

  app.get(
    '/api/rules/:id',
    {
      config: { access: 'staff' },
      schema: { tags, summary: 'One rule', params: IdParam, response: { 200: RuleSchema } },
    },
    (request) => service.get((request.params as { id: string }).id, request.actor()),
  );

  app.post(
    '/api/rules',
    {
      config: { access: [...manage] },
      schema: { tags, summary: 'Create a rule', body: RuleBody, response: { 201: RuleSchema } },
    },
    async (request, reply) =>
      reply.code(201).send(await service.create(request.body as RuleInput, request.actor())),
  );

  app.put(
    '/api/rules/:id',
    {
      config: { access: [...manage] },
      schema: {
        tags,
        summary: 'Replace a rule (its evaluation starts over)',
        params: IdParam,
        body: RuleBody,
        response: { 200: RuleSchema },
      },
    },
    (request) =>
      service.update((request.params as { id: string }).id, request.body as RuleInput, request.actor()),
  );

  app.delete(
    '/api/rules/:id',
    {
      config: { access: [...manage] },
      schema: { tags, summary: 'Delete a rule', params: IdParam },
    },
    async (request, reply) => {
      await service.delete((request.params as { id: string }).id, request.actor());
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/rules/backtest',
    {
      config: { access: [...manage, 'officer'] },
      schema: {
        tags,
        summary: 'What a rule would have fired and cleared on stored readings (default: the last 7 days)',
        body: BacktestBody,
        response: { 200: BacktestResult },
      },
    },
    (request) => service.backtest(request.body as BacktestInput),
  );
}

declare module 'fastify' {
  interface FastifyInstance {
    rules: RuleService;
  }
}
