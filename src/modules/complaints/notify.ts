import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../core/db/index.ts';
import type { DomainEvent, Events } from '../../core/events/outbox.ts';
import type { Locale } from '../../core/i18n.ts';
import type { Mail } from '../../core/mail.ts';
import { managerMail, reporterMail } from './notify-text.ts';

declare module '../../core/events/outbox.ts' {
  interface EventMap {
    /** Queued by the trigger of migration 0005 for each public event a reporter should hear about. */
    'complaints.notify': { eventId: string; requestId: string };
  }
}

interface NoticeRow {
  eventId: string;
  kind: string;
  toStatus: string | null;
  note: string | null;
  actorId: string | null;
  reference: string;
  status: string;
  lang: Locale;
  reporterId: string | null;
  email: string | null;
  categoryTh: string;
  categoryEn: string;
  forwardedTo: string | null;
}

/**
 * Email to the reporter when their complaint changes or gets a public note, and to the office's
 * managers when it is escalated. Fed by the outbox, so a change acknowledged with a 2xx is notified
 * even across a restart; each complaint event is mailed at most once per channel
 * (`complaints_notifications`), because the outbox redelivers an event when any subscriber failed.
 */
export class ComplaintsNotifier {
  constructor(
    private readonly db: Db,
    private readonly mail: Mail,
    private readonly log: FastifyBaseLogger,
  ) {}

  subscribe(events: Events): void {
    events.subscribe('complaints.notify', 'complaints.email.reporter', (e) => this.onNotify(e));
    events.subscribe('complaints.escalated', 'complaints.email.escalated', (e) => this.onEscalated(e));
  }

  async onNotify(event: DomainEvent<'complaints.notify'>): Promise<void> {
    if (!this.mail.enabled) return;
    const [n] = await this.db.rows<NoticeRow>(sql`
      SELECT e.id::text AS "eventId", e.kind, e.to_status AS "toStatus", e.note, e.actor_id AS "actorId",
        r.reference, r.status, r.reporter_lang AS lang, r.reporter_id AS "reporterId",
        -- A signed-in reporter is written to at their account's address; an anonymous one at the
        -- contact email they gave (a phone number alone gets nothing).
        COALESCE(CASE WHEN u.disabled_at IS NULL THEN u.email END, r.contact_email) AS email,
        c.name_th AS "categoryTh", c.name_en AS "categoryEn", r.forwarded_to AS "forwardedTo"
      FROM complaints_events e
      JOIN complaints_requests r ON r.id = e.request_id
      JOIN complaints_categories c ON c.code = r.category_code
      LEFT JOIN core_users u ON u.id = r.reporter_id
      WHERE e.id = ${event.payload.eventId}::bigint AND e.public`);
    // The reporter is not told of what they did themselves (reopening).
    if (!n?.email || (n.actorId && n.actorId === n.reporterId)) return;
    if (await this.sent(n.eventId, 'email')) return;
    const { subject, text } = reporterMail({
      lang: n.lang,
      reference: n.reference,
      category: { th: n.categoryTh, en: n.categoryEn },
      kind: n.kind,
      toStatus: n.toStatus,
      status: n.status,
      note: n.note,
      forwardedTo: n.kind === 'forwarded' ? n.forwardedTo : null,
      link: this.mail.link(`/complaints/${n.reference}`),
    });
    await this.mail.send({
      to: n.email,
      subject,
      text,
      // Stable per complaint event, so a mail client can recognise a rare resend as the same message.
      messageId: `<complaints-${n.eventId}@mueang>`,
    });
    await this.record(n.eventId, 'email');
    this.log.info({ reference: n.reference, event: n.eventId }, 'complaint notice emailed');
  }

  /** The office's managers, each in their own language; the city's admins when the office has none. */
  async onEscalated(event: DomainEvent<'complaints.escalated'>): Promise<void> {
    if (!this.mail.enabled) return;
    const { reference, officeId, dueAt } = event.payload;
    const [r] = await this.db.rows<{
      eventId: string | null;
      status: string;
      zone: string;
      categoryTh: string;
      categoryEn: string;
      officeTh: string;
      officeEn: string;
    }>(sql`
      SELECT (SELECT max(e.id)::text FROM complaints_events e WHERE e.request_id = r.id AND e.kind = 'escalated')
          AS "eventId",
        r.status, z.code AS zone, c.name_th AS "categoryTh", c.name_en AS "categoryEn",
        o.name_th AS "officeTh", o.name_en AS "officeEn"
      FROM complaints_requests r
      JOIN complaints_categories c ON c.code = r.category_code
      JOIN core_offices o ON o.id = ${officeId}::uuid
      JOIN core_zones z ON z.id = r.zone_id
      WHERE r.reference = ${reference}`);
    if (!r?.eventId || (await this.sent(r.eventId, 'escalation'))) return;
    let to = await this.staff(sql`role = 'office_manager' AND office_id = ${officeId}::uuid`);
    if (to.length === 0) to = await this.staff(sql`role = 'admin'`);
    for (const m of to) {
      const { subject, text } = managerMail({
        lang: m.locale,
        reference,
        category: { th: r.categoryTh, en: r.categoryEn },
        office: { th: r.officeTh, en: r.officeEn },
        zone: r.zone,
        status: r.status,
        dueAt,
        link: this.mail.link('/complaints/queue'),
      });
      await this.mail.send({
        to: m.email,
        subject,
        text,
        messageId: `<complaints-${r.eventId}-${m.id}@mueang>`,
      });
    }
    await this.record(r.eventId, 'escalation');
    this.log.info({ reference, recipients: to.length }, 'complaint escalation emailed');
  }

  private staff(where: ReturnType<typeof sql>) {
    return this.db.rows<{ id: string; email: string; locale: Locale }>(sql`
      SELECT id, email, locale FROM core_users
      WHERE kind = 'staff' AND disabled_at IS NULL AND email IS NOT NULL AND ${where}
      ORDER BY email`);
  }

  private async sent(eventId: string, channel: string): Promise<boolean> {
    const rows = await this.db.rows(
      sql`SELECT 1 FROM complaints_notifications WHERE event_id = ${eventId}::bigint AND channel = ${channel}`,
    );
    return rows.length > 0;
  }

  private async record(eventId: string, channel: string): Promise<void> {
    await this.db.orm.execute(sql`INSERT INTO complaints_notifications (event_id, channel)
      VALUES (${eventId}::bigint, ${channel}) ON CONFLICT DO NOTHING`);
  }
}
