import type { ServerResponse } from 'node:http';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Actor } from '../../core/audit/audit.ts';
import { officeBoundRoles, type Role } from '../../core/auth/roles.ts';
import { AppError } from '../../core/errors.ts';
import type { DomainEvent, EventType } from '../../core/events/outbox.ts';
import { msg, registerMessages } from '../../core/i18n.ts';
import type { AlertEvent } from './service.ts';

/** The alert events that travel to staff (and webhooks): raised, updated, acknowledged, resolved, escalated. */
export const alertEventTypes = [
  'alert.raised',
  'alert.updated',
  'alert.acknowledged',
  'alert.resolved',
  'alert.escalated',
] as const satisfies readonly EventType[];
export type AlertEventType = (typeof alertEventTypes)[number];

registerMessages({
  'alerts.send_event_stream': {
    th: 'กรุณาส่งส่วนหัว Accept: text/event-stream',
    en: 'send Accept: text/event-stream',
  },
  'alerts.stream_accept': {
    th: 'ช่องทางนี้ส่งข้อมูลแบบ text/event-stream เท่านั้น',
    en: 'This stream is sent as text/event-stream only',
  },
});

const heartbeatMs = 20_000;
const resumeLimit = 200;

interface Client {
  res: ServerResponse;
  actor: Actor;
}

/** Office-bound staff follow their own office's alerts; admins and executives follow the city's. */
export function mayFollow(actor: Actor, officeId: string | null): boolean {
  if (!officeBoundRoles.includes(actor.role as Role)) return true;
  return actor.officeId !== null && officeId === actor.officeId;
}

const frame = (id: string, type: string, data: unknown) =>
  `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * Server-sent events for signed-in staff. Fed by the outbox (at least once, so a client may see an
 * event twice; the SSE id is the outbox id, which lets it tell). Open streams are ended before the
 * server closes, so they never hold `app.close()` up.
 */
export class AlertStream {
  private clients = new Set<Client>();
  private heartbeat: NodeJS.Timeout | null = null;

  get size(): number {
    return this.clients.size;
  }

  broadcast(event: DomainEvent): void {
    const payload = event.payload as AlertEvent;
    const text = frame(event.id, event.type, { ...payload, eventId: event.id, at: event.createdAt });
    for (const c of this.clients) if (mayFollow(c.actor, payload.officeId)) c.res.write(text);
  }

  add(client: Client): void {
    this.clients.add(client);
    client.res.on('close', () => {
      this.clients.delete(client);
      if (this.clients.size === 0 && this.heartbeat) {
        clearInterval(this.heartbeat);
        this.heartbeat = null;
      }
    });
    if (!this.heartbeat) {
      // A comment line keeps proxies from closing an idle stream and lets the browser notice a dead one.
      this.heartbeat = setInterval(() => {
        for (const c of this.clients) c.res.write(': heartbeat\n\n');
      }, heartbeatMs);
      this.heartbeat.unref();
    }
  }

  closeAll(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }
}

export function streamRoutes(app: FastifyInstance, stream: AlertStream): void {
  for (const type of alertEventTypes)
    app.events.subscribe(type, 'alerts.stream', (event) => stream.broadcast(event as DomainEvent));
  app.addHook('preClose', async () => stream.closeAll());

  app.get(
    '/api/alerts/stream',
    {
      config: { access: 'staff' },
      schema: {
        tags: ['alerts'],
        summary:
          'Live alert events as server-sent events (text/event-stream); Last-Event-ID resumes after a reconnect',
        headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })) }),
      },
    },
    async (request, reply) => {
      // EventSource always asks for text/event-stream; anything else would hang on a response that never ends.
      if (!request.headers.accept?.includes('text/event-stream'))
        throw new AppError(406, 'alerts.stream_accept', msg('alerts.send_event_stream'));
      const actor = request.actor();
      const lastId = request.headers['last-event-id'] as string | undefined;
      // Missed events are read before the stream opens, so a resumed client has no gap to wait on.
      const missed = lastId
        ? await app.db.rows<{ id: string; type: string; payload: AlertEvent; createdAt: string }>(sql`
            SELECT id::text AS id, type, payload, created_at AS "createdAt" FROM core_outbox
            WHERE id > ${lastId}::bigint AND type IN (${sql.join(
              alertEventTypes.map((t) => sql`${t}`),
              sql`, `,
            )}) ORDER BY id LIMIT ${resumeLimit}`)
        : [];
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      res.write('retry: 5000\n\n');
      for (const e of missed)
        if (mayFollow(actor, e.payload.officeId))
          res.write(
            frame(e.id, e.type, { ...e.payload, eventId: e.id, at: new Date(e.createdAt).toISOString() }),
          );
      stream.add({ res, actor });
    },
  );
}
