import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { audit } from '../../core/audit/audit.ts';
import { AppError } from '../../core/errors.ts';
import { registerMessages } from '../../core/i18n.ts';
import { newSecret, secretPattern } from './signing.ts';
import { alertEventTypes } from './stream.ts';
import type { Webhooks } from './webhooks.ts';

registerMessages({
  'alerts.webhook_not_found': { th: 'ไม่พบเว็บฮุกนี้', en: 'The webhook was not found' },
  'alerts.webhook_url': { th: 'ที่อยู่เว็บฮุกไม่ถูกต้อง', en: 'The webhook URL is not valid' },
  'alerts.webhook_private': {
    th: 'ที่อยู่เว็บฮุกต้องเป็นที่อยู่สาธารณะ ไม่ใช่เครือข่ายภายใน',
    en: 'The webhook URL must be a public address, not an internal one',
  },
});

const tags = ['alerts'];
const access = { access: ['admin'] as ['admin'] };
const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const EventFilter = Type.Array(Type.Union(alertEventTypes.map((t) => Type.Literal(t))), {
  maxItems: alertEventTypes.length,
  uniqueItems: true,
});
const Url = Type.String({ minLength: 8, maxLength: 2000, pattern: '^https?://\\S+$' });
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001F\\u007F]*$' });
const NewWebhook = Type.Object(
  {
    name: Name,
    url: Url,
    secret: Type.Optional(Type.String({ pattern: secretPattern })),
    events: Type.Optional(EventFilter),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const PatchWebhook = Type.Object(
  {
    name: Type.Optional(Name),
    url: Type.Optional(Url),
    secret: Type.Optional(Type.String({ pattern: secretPattern })),
    events: Type.Optional(EventFilter),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
const WebhookSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const DeliverySchema = Type.Object({
  id: Type.String(),
  webhookId: Type.String(),
  eventId: Type.String(),
  eventType: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  nextAttemptAt: Type.String(),
  lastStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  deliveredAt: Type.Union([Type.String(), Type.Null()]),
});

/** Staff admins manage webhook endpoints; the secret is shown once, when created or set. */
export function webhookRoutes(app: FastifyInstance, hooks: Webhooks): void {
  app.get(
    '/api/alerts/webhooks',
    {
      config: access,
      schema: {
        tags,
        summary: 'Webhook endpoints for alert events',
        response: { 200: Type.Array(WebhookSchema) },
      },
    },
    () => hooks.list(),
  );

  app.post(
    '/api/alerts/webhooks',
    {
      config: access,
      schema: {
        tags,
        summary: 'Register a webhook endpoint (the signing secret is in this answer only)',
        body: NewWebhook,
        response: { 201: Type.Object({ ...WebhookSchema.properties, secret: Type.String() }) },
      },
    },
    async (request, reply) => {
      const body = request.body as {
        name: string;
        url: string;
        secret?: string;
        events?: string[];
        enabled?: boolean;
      };
      await hooks.checkUrl(body.url);
      const secret = body.secret ?? newSecret();
      const id = await app.db.transaction(async (tx) => {
        const [row] = await app.db.rows<{ id: string }>(
          sql`INSERT INTO alert_webhooks (name, url, secret, events, enabled, created_by)
            VALUES (${body.name}, ${body.url}, ${secret}, ${`{${(body.events ?? []).join(',')}}`}::text[],
              ${body.enabled ?? true}, ${request.actor().id}) RETURNING id`,
          tx,
        );
        await audit(tx, request.actor(), {
          action: 'alerts.webhook.create',
          resourceType: 'alert_webhook',
          resourceId: row.id,
          detail: { url: body.url, events: body.events ?? [] },
        });
        return row.id;
      });
      return reply.code(201).send({ ...(await hooks.get(id)), secret });
    },
  );

  app.patch(
    '/api/alerts/webhooks/:id',
    {
      config: access,
      schema: {
        tags,
        summary: 'Change a webhook endpoint',
        params: IdParam,
        body: PatchWebhook,
        response: { 200: WebhookSchema },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const body = request.body as {
        name?: string;
        url?: string;
        secret?: string;
        events?: string[];
        enabled?: boolean;
      };
      await hooks.get(id);
      if (body.url) await hooks.checkUrl(body.url);
      const sets = [sql`updated_at = now()`];
      if (body.name) sets.push(sql`name = ${body.name}`);
      if (body.url) sets.push(sql`url = ${body.url}`);
      if (body.secret) sets.push(sql`secret = ${body.secret}`);
      if (body.events) sets.push(sql`events = ${`{${body.events.join(',')}}`}::text[]`);
      if (body.enabled !== undefined) sets.push(sql`enabled = ${body.enabled}`);
      await app.db.transaction(async (tx) => {
        await tx.execute(sql`UPDATE alert_webhooks SET ${sql.join(sets, sql`, `)} WHERE id = ${id}`);
        await audit(tx, request.actor(), {
          action: 'alerts.webhook.update',
          resourceType: 'alert_webhook',
          resourceId: id,
          // Never the secret itself: only that it changed.
          detail: { ...body, secret: body.secret ? 'changed' : undefined },
        });
      });
      return hooks.get(id);
    },
  );

  app.delete(
    '/api/alerts/webhooks/:id',
    {
      config: access,
      schema: { tags, summary: 'Remove a webhook endpoint and its delivery history', params: IdParam },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      await app.db.transaction(async (tx) => {
        const gone = await app.db.rows(sql`DELETE FROM alert_webhooks WHERE id = ${id} RETURNING id`, tx);
        if (gone.length === 0) throw AppError.notFound('alerts.webhook_not_found');
        await audit(tx, request.actor(), {
          action: 'alerts.webhook.delete',
          resourceType: 'alert_webhook',
          resourceId: id,
        });
      });
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/alerts/webhooks/:id/deliveries',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Recent deliveries of a webhook endpoint with their status, attempts and last error',
        params: IdParam,
        querystring: Type.Object(
          { limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(DeliverySchema) },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      await hooks.get(id);
      return hooks.deliveries(id, (request.query as { limit: number }).limit);
    },
  );
}
