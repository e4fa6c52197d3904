import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../../core/db/index.ts';
import type { DomainEvent } from '../../core/events/outbox.ts';
import type { AlertService } from './service.ts';

const severityLabel: Record<string, { th: string; en: string }> = {
  extreme: { th: 'รุนแรงมาก', en: 'extreme' },
  severe: { th: 'รุนแรง', en: 'severe' },
  moderate: { th: 'ปานกลาง', en: 'moderate' },
  minor: { th: 'เล็กน้อย', en: 'minor' },
  unknown: { th: 'ไม่ทราบ', en: 'unknown' },
};

/**
 * Alert email to staff (nodemailer). Off without SMTP_URL; tests hand in nodemailer's JSON or stream
 * transport with `useTransport`, so no test ever touches a network.
 */
export class AlertMailer {
  private transport: Transporter | null;

  constructor(
    private readonly db: Db,
    private readonly alerts: AlertService,
    private readonly log: FastifyBaseLogger,
    smtpUrl: string | undefined,
    private readonly from: string,
    private readonly publicUrl: string | undefined,
  ) {
    this.transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : null;
  }

  useTransport(transport: Transporter | null): void {
    this.transport = transport;
  }

  /** Raised: every staff member of the alert's office with an email (admins for a city-wide alert). */
  async onRaised(event: DomainEvent<'alert.raised'>): Promise<void> {
    if (!this.transport) return;
    const { officeId, alertId } = event.payload;
    const to = await this.recipients(officeId, officeId ? ['office_manager', 'officer'] : ['admin']);
    await this.send(alertId, to, { th: 'แจ้งเตือน', en: 'Alert' }, event.id);
  }

  /** Escalated: the office's managers (admins when the alert has no office or the office has none). */
  async onEscalated(event: DomainEvent<'alert.escalated'>): Promise<void> {
    if (!this.transport) return;
    const { officeId, alertId } = event.payload;
    let to = officeId ? await this.recipients(officeId, ['office_manager']) : [];
    if (to.length === 0) to = await this.recipients(null, ['admin']);
    await this.send(alertId, to, { th: 'ยังไม่มีผู้รับทราบ', en: 'Not acknowledged' }, event.id);
  }

  private async recipients(officeId: string | null, roles: string[]): Promise<string[]> {
    const rows = await this.db.rows<{ email: string }>(sql`
      SELECT email FROM core_users
      WHERE kind = 'staff' AND disabled_at IS NULL AND email IS NOT NULL
        AND role IN (${sql.join(
          roles.map((r) => sql`${r}`),
          sql`, `,
        )})
        AND ${officeId ? sql`office_id = ${officeId}` : sql`true`}
      ORDER BY email`);
    return rows.map((r) => r.email);
  }

  private async send(alertId: string, to: string[], what: { th: string; en: string }, eventId: string) {
    if (to.length === 0 || !this.transport) return;
    const alert = await this.alerts.repo.get(alertId);
    if (!alert) return;
    const sev = severityLabel[alert.severity] ?? severityLabel.unknown;
    const link = this.publicUrl ? `${this.publicUrl.replace(/\/+$/, '')}/alerts` : '/alerts';
    const info = await this.transport.sendMail({
      from: this.from,
      // Recipients do not see each other's addresses.
      bcc: to,
      subject: `[${what.th} · ${what.en}] ${alert.headline.th} · ${alert.headline.en}`,
      // The outbox event id makes a repeated delivery recognisable as the same message.
      messageId: `<alert-${eventId}@mueang>`,
      text: [
        `${what.th}: ${alert.headline.th}`,
        `ความรุนแรง: ${sev.th} · สถานะ: ${alert.status}`,
        alert.description.th,
        '',
        `${what.en}: ${alert.headline.en}`,
        `Severity: ${sev.en} · status: ${alert.status}`,
        alert.description.en,
        '',
        link,
      ].join('\n'),
    });
    this.log.info({ alertId, recipients: to.length, messageId: info.messageId }, 'alert email sent');
  }
}
