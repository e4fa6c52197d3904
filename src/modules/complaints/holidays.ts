import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../../core/db/index.ts';
import type { Holiday } from './schemas.ts';
import { addWorkingHours, addWorkingTime, workingTimeBetween } from './sla.ts';

/** The holidays table and the SLA arithmetic that needs it. */
export class HolidaysRepository {
  constructor(private readonly db: Db) {}

  list(year?: number, on?: Executor): Promise<Holiday[]> {
    return this.db.rows<Holiday>(
      sql`SELECT to_char(day, 'YYYY-MM-DD') AS day, name_th AS "nameTh", name_en AS "nameEn", source, synthetic
        FROM complaints_holidays
        WHERE ${year === undefined ? sql`TRUE` : sql`extract(year FROM day) = ${year}`}
        ORDER BY day`,
      on,
    );
  }

  /** Every holiday as a set of dates; the table holds a few dozen rows a year. */
  async days(on?: Executor): Promise<Set<string>> {
    const rows = await this.db.rows<{ day: string }>(
      sql`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM complaints_holidays`,
      on,
    );
    return new Set(rows.map((r) => r.day));
  }

  /** True when added; false when the day was already a holiday (kept as it was). */
  async add(on: Executor, h: Omit<Holiday, 'source'> & { source?: string | null }): Promise<boolean> {
    const rows = await this.db.rows(
      sql`INSERT INTO complaints_holidays (day, name_th, name_en, source, synthetic)
        VALUES (${h.day}::date, ${h.nameTh}, ${h.nameEn}, ${h.source ?? null}, ${h.synthetic})
        ON CONFLICT (day) DO NOTHING RETURNING 1`,
      on,
    );
    return rows.length > 0;
  }

  async remove(on: Executor, day: string): Promise<boolean> {
    const rows = await this.db.rows(
      sql`DELETE FROM complaints_holidays WHERE day = ${day}::date RETURNING 1`,
      on,
    );
    return rows.length > 0;
  }

  /** Sets a request's due time: its category's SLA in working hours from its filing (or from `from`). */
  async setDue(on: Executor, requestId: string, from?: Date): Promise<void> {
    const [r] = await this.db.rows<{ created: string; hours: number }>(
      sql`SELECT r.created_at::text AS created, c.sla_hours AS hours
        FROM complaints_requests r JOIN complaints_categories c ON c.code = r.category_code WHERE r.id = ${requestId}`,
      on,
    );
    const due = addWorkingHours(from ?? new Date(r.created), r.hours, await this.days(on));
    await this.db.rows(
      sql`UPDATE complaints_requests SET due_at = ${due.toISOString()}::timestamptz WHERE id = ${requestId}`,
      on,
    );
  }

  /**
   * Keeps the SLA clock in step with a status change: on hold pauses it (the working time spent on hold
   * is added to the due time when work resumes), and resolving stamps the start of the rating window.
   */
  async onStatus(on: Executor, requestId: string, from: string, to: string, now = new Date()): Promise<void> {
    if (to === 'on_hold') {
      await this.db.rows(
        sql`UPDATE complaints_requests SET hold_started_at = ${now.toISOString()}::timestamptz WHERE id = ${requestId}`,
        on,
      );
    } else if (from === 'on_hold') {
      const [r] = await this.db.rows<{ due: string | null; held: string | null }>(
        sql`SELECT due_at::text AS due, hold_started_at::text AS held FROM complaints_requests WHERE id = ${requestId}`,
        on,
      );
      if (r.due && r.held) {
        const paused = workingTimeBetween(new Date(r.held), now, await this.days(on));
        const due = addWorkingTime(new Date(r.due), paused, await this.days(on));
        await this.db.rows(
          sql`UPDATE complaints_requests SET due_at = ${due.toISOString()}::timestamptz WHERE id = ${requestId}`,
          on,
        );
      }
      await this.db.rows(
        sql`UPDATE complaints_requests SET hold_started_at = NULL WHERE id = ${requestId}`,
        on,
      );
    }
    if (to === 'resolved')
      await this.db.rows(
        sql`UPDATE complaints_requests SET resolved_at = ${now.toISOString()}::timestamptz WHERE id = ${requestId}`,
        on,
      );
  }
}
