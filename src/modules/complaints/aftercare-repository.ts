import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../../core/db/index.ts';

/** SQL for rating, reopening, merging, forwarding and the sweep; tables prefixed `complaints_`. */
export class AftercareRepository {
  constructor(private readonly db: Db) {}

  /** True when stored; false when the request already had a rating (a second one is refused). */
  async rate(on: Executor, id: string, rating: number, comment: string | null, now: Date): Promise<boolean> {
    const rows = await this.db.rows(
      sql`UPDATE complaints_requests SET rating = ${rating}, rating_comment = ${comment},
          rated_at = ${now.toISOString()}::timestamptz, updated_at = now()
        WHERE id = ${id} AND rating IS NULL RETURNING 1`,
      on,
    );
    return rows.length > 0;
  }

  async reopen(on: Executor, id: string): Promise<void> {
    await this.db.rows(
      sql`UPDATE complaints_requests SET status = 'in_progress', resolved_at = NULL, escalated_at = NULL,
          reopened_count = reopened_count + 1, updated_at = now()
        WHERE id = ${id}`,
      on,
    );
  }

  /** Moves the duplicate's supporters (and its reporter, as a supporter) to the kept request; returns how many were added. */
  async moveSupporters(on: Executor, fromId: string, toId: string): Promise<number> {
    const rows = await this.db.rows(
      sql`INSERT INTO complaints_supporters (request_id, user_id, at)
        SELECT ${toId}::uuid, s.user_id, s.at FROM complaints_supporters s WHERE s.request_id = ${fromId}
        UNION ALL
        SELECT ${toId}::uuid, d.reporter_id, d.created_at FROM complaints_requests d
          WHERE d.id = ${fromId} AND d.reporter_id IS NOT NULL
        ON CONFLICT DO NOTHING RETURNING 1`,
      on,
    );
    await this.db.rows(sql`DELETE FROM complaints_supporters WHERE request_id = ${fromId}`, on);
    return rows.length;
  }

  async markMerged(on: Executor, id: string, intoId: string): Promise<void> {
    await this.db.rows(
      sql`UPDATE complaints_requests SET status = 'closed', merged_into = ${intoId}, closed_at = now(), updated_at = now()
        WHERE id = ${id}`,
      on,
    );
  }

  async setForwarded(on: Executor, id: string, agency: string): Promise<void> {
    await this.db.rows(
      sql`UPDATE complaints_requests SET status = 'forwarded', forwarded_to = ${agency}, updated_at = now() WHERE id = ${id}`,
      on,
    );
  }

  /** Open requests past their due time and not yet escalated, locked for this sweep. */
  overdue(
    on: Executor,
    now: Date,
    limit: number,
  ): Promise<{ id: string; reference: string; officeId: string; dueAt: string }[]> {
    return this.db.rows(
      sql`SELECT id, reference, office_id AS "officeId", due_at::text AS "dueAt" FROM complaints_requests
        WHERE escalated_at IS NULL AND status IN ('received', 'accepted', 'in_progress', 'forwarded')
          AND due_at < ${now.toISOString()}::timestamptz
        ORDER BY due_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
      on,
    );
  }

  async markEscalated(on: Executor, id: string, now: Date): Promise<void> {
    await this.db.rows(
      sql`UPDATE complaints_requests SET escalated_at = ${now.toISOString()}::timestamptz WHERE id = ${id}`,
      on,
    );
  }

  /** Requests still resolved `days` after resolution, locked for this sweep. */
  lapsed(on: Executor, now: Date, days: number, limit: number): Promise<{ id: string; reference: string }[]> {
    return this.db.rows(
      sql`SELECT id, reference FROM complaints_requests
        WHERE status = 'resolved' AND resolved_at <= ${now.toISOString()}::timestamptz - make_interval(days => ${days})
        ORDER BY resolved_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
      on,
    );
  }

  async close(on: Executor, id: string, now: Date): Promise<void> {
    await this.db.rows(
      sql`UPDATE complaints_requests SET status = 'closed', closed_at = ${now.toISOString()}::timestamptz, updated_at = now()
        WHERE id = ${id}`,
      on,
    );
  }
}
