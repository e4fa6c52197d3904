import type { FastifyInstance } from 'fastify';
import type { DomainEvent } from '../../core/events/outbox.ts';
import { Escalation, parseEscalation } from './escalation.ts';
import { AlertMailer } from './mailer.ts';
import type { AlertService } from './service.ts';
import { AlertStream, alertEventTypes, streamRoutes } from './stream.ts';
import { webhookRoutes } from './webhook-routes.ts';
import { Webhooks } from './webhooks.ts';

export interface AlertDelivery {
  stream: AlertStream;
  webhooks: Webhooks;
  mailer: AlertMailer;
  escalation: Escalation;
  /** Starts the background workers (webhook retries, escalation sweep); the server does, tests do not. */
  start(): void;
  stop(): Promise<void>;
}

/** Live SSE, signed webhooks, email and escalation, all fed by the alert events of the outbox. */
export function deliveryPlugin(app: FastifyInstance, alerts: AlertService): void {
  const stream = new AlertStream();
  const webhooks = new Webhooks(app.db, app.log, app.config.ALERT_WEBHOOK_ALLOW_PRIVATE);
  const mailer = new AlertMailer(
    app.db,
    alerts,
    app.log,
    app.config.SMTP_URL,
    app.config.MAIL_FROM,
    app.config.PUBLIC_URL,
  );
  const escalation = new Escalation(
    app.db,
    app.events,
    app.log,
    parseEscalation(app.config.ALERT_ESCALATE_MINUTES),
  );

  for (const type of alertEventTypes)
    app.events.subscribe(type, 'alerts.webhooks', (e) => webhooks.enqueue(e as DomainEvent));
  app.events.subscribe('alert.raised', 'alerts.email', (e) => mailer.onRaised(e));
  app.events.subscribe('alert.escalated', 'alerts.email.escalated', (e) => mailer.onEscalated(e));
  streamRoutes(app, stream);
  webhookRoutes(app, webhooks);

  const delivery: AlertDelivery = {
    stream,
    webhooks,
    mailer,
    escalation,
    start() {
      webhooks.start();
      escalation.start();
    },
    async stop() {
      await webhooks.stop();
      await escalation.stop();
    },
  };
  app.addHook('onClose', () => delivery.stop());
  app.decorate('alertDelivery', delivery);
}

declare module 'fastify' {
  interface FastifyInstance {
    alertDelivery: AlertDelivery;
  }
}
