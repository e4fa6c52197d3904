import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { audit, systemActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/index.ts';
import type { Events } from '../../core/events/outbox.ts';
import { severities } from './model.ts';
import type { AlertEvent } from './service.ts';

declare module '../../core/events/outbox.ts' {
  interface EventMap {
    'alert.escalated': AlertEvent;
  }
}

export type EscalationMinutes = Record<(typeof severities)[number], number>;

const defaults: EscalationMinutes = { extreme: 5, severe: 15, moderate: 60, minor: 240, unknown: 60 };

/** `extreme:5,severe:15,…` (the config value, already checked by its pattern) over the defaults. */
export function parseEscalation(value: string | undefined): EscalationMinutes {
  const out = { ...defaults };
  for (const part of (value ?? '').split(',').filter(Boolean)) {
    const [severity, minutes] = part.split(':');
    out[severity as keyof EscalationMinutes] = Number(minutes);
  }
  return out;
}

/**
 * An alert left raised (nobody acknowledged it) past its severity's limit is escalated once: it is
 * stamped `escalated_at`, audited, and an `alert.escalated` event tells delivery to call in managers.
 */
export class Escalation {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly db: Db,
    private readonly events: Events,
    private readonly log: FastifyBaseLogger,
    readonly minutes: EscalationMinutes,
  ) {}

  /** Escalates what is overdue at `now`; returns the ids escalated. */
  async sweep(now = new Date()): Promise<string[]> {
    const limit = sql`CASE a.severity ${sql.join(
      severities.map((s) => sql`WHEN ${s} THEN ${this.minutes[s]}::int`),
      sql` `,
    )} END`;
    return this.db.transaction(async (tx) => {
      // The WHERE on escalated_at IS NULL is what makes it once, also with two sweepers at a time.
      const rows = await this.db.rows<AlertEvent & { alertId: string }>(
        sql`UPDATE alert_alerts a SET escalated_at = ${now.toISOString()}::timestamptz
          WHERE a.status = 'raised' AND a.escalated_at IS NULL AND ${limit} > 0
            AND a.raised_at + make_interval(mins => ${limit}) <= ${now.toISOString()}::timestamptz
          RETURNING a.id AS "alertId", a.source, a.rule_id AS "ruleId", a.subject, a.office_id AS "officeId",
            a.severity, a.public, a.status`,
        tx,
      );
      for (const r of rows) {
        await audit(tx, systemActor, {
          action: 'alerts.escalate',
          resourceType: 'alert',
          resourceId: r.alertId,
          detail: { severity: r.severity, minutes: this.minutes[r.severity] },
        });
        await this.events.publish(tx, 'alert.escalated', r);
      }
      return rows.map((r) => r.alertId);
    });
  }

  start(everyMs = 30_000): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .catch((err) => this.log.error({ err }, 'alert escalation sweep failed'))
        .finally(() => {
          this.running = null;
        });
    }, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
