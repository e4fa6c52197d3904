import { type SQL, sql } from 'drizzle-orm';
import { type Actor, audit } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';

/**
 * The moderation rule for public text (docs/modules/complaints.md, "Public map, list and statistics"):
 * a request's description is public only after staff approved it; what is published is masked
 * automatically first, and so is every public staff note. Masking replaces:
 * - URLs (http, https, ftp, www.) with [url], so the public page links nowhere;
 * - email addresses with [email];
 * - 13-digit numbers (Thai national ID, with or without dashes or spaces) with [id];
 * - Thai phone numbers (0 + 8 or 9 digits, or +66/0066/66 + 8 or 9 digits, with single spaces,
 *   dashes or dots between digits, Arabic or Thai digits) with [phone].
 * Anything else, markup included, stays as text: the web app renders it as text, never as HTML.
 */
const D = '[0-9\\u0E50-\\u0E59]';
const SEP = '[ .\\-]?';
const url = /\b(?:(?:https?|ftp):\/\/|www\.)[^\s<>"']+/giu;
// The lookbehind starts a match only where a run of address characters starts, so a long text
// without "@" is scanned once, not once per character.
const local = '[\\p{L}\\p{M}\\p{N}._%+\\-]';
const label = '[\\p{L}\\p{M}\\p{N}\\-]{1,63}';
const email = new RegExp(
  `(?<!${local})${local}{1,64}@${label}(?:\\.${label}){0,8}\\.[\\p{L}\\p{M}]{2,63}`,
  'giu',
);
// A Thai national ID starts with 1–8.
const nationalId = new RegExp(`(?<!${D})[1-8\\u0E51-\\u0E58](?:[ \\-]?${D}){12}(?!${D})`, 'gu');
const zero = '[0\\u0E50]';
const six = '[6\\u0E56]';
const phone = new RegExp(
  `(?<![0-9\\u0E50-\\u0E59+])(?:(?:\\+|${zero}{2})?${six}{2}${SEP}\\(?${zero}?\\)?${SEP}|${zero})${D}(?:${SEP}${D}){7,8}(?!${D})`,
  'gu',
);

export function maskPersonal(text: string): string {
  return text
    .replace(url, '[url]')
    .replace(email, '[email]')
    .replace(nationalId, '[id]')
    .replace(phone, '[phone]');
}

export type Moderation = 'pending' | 'approved' | 'hidden';

export interface ModerationItem {
  reference: string;
  category: string;
  description: string;
  suggested: string;
  moderation: Moderation;
  createdAt: string;
  /** What the public sees: set once approved, null while pending or hidden. */
  publicText: string | null;
  /** When and by whom it was last decided; null while pending (or decided by the system). */
  moderatedAt: string | null;
  moderatedBy: string | null;
}

export interface ModerationDecision {
  /** `requeue` undoes a decision: the text is public no more and waits in the queue again. */
  action: 'approve' | 'hide' | 'requeue';
  /** Approve with this text instead of the automatic suggestion (it is masked again). */
  text?: string;
}

const iso = (column: SQL) => sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The staff moderation lists: the queue of requests whose public text is waiting (oldest first), and
 * the texts already approved or hidden (most recently decided first), so a decision can be undone.
 */
export class ComplaintsModeration {
  constructor(private readonly db: Db) {}

  async queue(officeId: string | null, page: number, pageSize: number, state: Moderation = 'pending') {
    const office = officeId ? sql`AND r.office_id = ${officeId}` : sql``;
    const order =
      state === 'pending'
        ? sql`r.created_at, r.reference`
        : sql`r.moderated_at DESC NULLS LAST, r.reference DESC`;
    const rows = await this.db.rows<Omit<ModerationItem, 'suggested'> & { total: number }>(
      sql`SELECT r.reference, r.category_code AS category, r.description, r.moderation,
          ${iso(sql`r.created_at`)} AS "createdAt",
          CASE WHEN r.moderation = 'approved' THEN r.public_description END AS "publicText",
          ${iso(sql`r.moderated_at`)} AS "moderatedAt", u.display_name AS "moderatedBy",
          count(*) OVER ()::int AS total
        FROM complaints_requests r LEFT JOIN core_users u ON u.id = r.moderated_by
        WHERE r.moderation = ${state} ${office}
        ORDER BY ${order} LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
    );
    const total = rows[0]?.total ?? 0;
    return {
      items: rows.map(({ total: _t, ...r }) => ({ ...r, suggested: maskPersonal(r.description) })),
      total,
      page,
      pageSize,
    };
  }

  /**
   * Approve (the masked description, or staff's edited text, masked again), hide, or put back in the
   * queue. Office-bound staff decide only for their office's requests. Audited in the same transaction.
   */
  decide(
    reference: string,
    d: ModerationDecision,
    officeId: string | null,
    userId: string | null,
    actor: Actor,
  ) {
    return this.db.transaction(async (tx) => {
      const [r] = await this.db.rows<{
        id: string;
        description: string;
        officeId: string;
        moderation: Moderation;
      }>(
        sql`SELECT id, description, office_id AS "officeId", moderation FROM complaints_requests
          WHERE reference = ${reference} FOR UPDATE`,
        tx,
      );
      if (!r) throw AppError.notFound('complaints.not_found');
      if (officeId && r.officeId !== officeId) throw AppError.forbidden();
      const text = d.action === 'approve' ? maskPersonal((d.text ?? r.description).trim()) : null;
      if (d.action === 'approve' && !text) throw AppError.badRequest('complaints.public_text_empty');
      const moderation: Moderation =
        d.action === 'approve' ? 'approved' : d.action === 'hide' ? 'hidden' : 'pending';
      if (d.action === 'requeue' && d.text !== undefined)
        throw AppError.badRequest('complaints.public_text_unexpected');
      // Back in the queue it is undecided again: no public text, no decider.
      await tx.execute(
        moderation === 'pending'
          ? sql`UPDATE complaints_requests SET moderation = 'pending', public_description = NULL,
              moderated_at = NULL, moderated_by = NULL WHERE id = ${r.id}`
          : sql`UPDATE complaints_requests SET moderation = ${moderation}, public_description = ${text},
              moderated_at = now(), moderated_by = ${userId} WHERE id = ${r.id}`,
      );
      await audit(tx, actor, {
        action: `complaints.moderation.${d.action}`,
        resourceType: 'complaints.request',
        resourceId: reference,
        detail: { from: r.moderation, edited: d.text !== undefined },
      });
      return { reference, moderation, publicText: text };
    });
  }

  /** The public text of one request for someone who is neither its reporter nor staff. */
  async publicText(requestId: string): Promise<string | null> {
    const [r] = await this.db.rows<{ text: string | null }>(
      sql`SELECT CASE WHEN moderation = 'approved' THEN public_description END AS text
        FROM complaints_requests WHERE id = ${requestId}`,
    );
    return r?.text ?? null;
  }
}

/**
 * What someone who is neither the reporter nor staff sees of one request: the approved public text
 * (empty until then), the address and public notes masked automatically.
 */
export async function moderatedView<
  V extends { description: string; address: string | null; events: { note?: string | null }[] },
>(db: Db, requestId: string, view: V): Promise<V> {
  const text = await new ComplaintsModeration(db).publicText(requestId);
  return {
    ...view,
    description: text ?? '',
    address: view.address === null ? null : maskPersonal(view.address),
    events: view.events.map((e) => (e.note ? { ...e, note: maskPersonal(e.note) } : e)),
  };
}

/** The public view of a request for anyone: moderated description, masked address. */
export function publicOnly<V extends { description: string; address: string | null }>(
  view: V,
  publicText: string | null | undefined,
): V {
  return {
    ...view,
    description: publicText ?? '',
    address: view.address === null ? null : maskPersonal(view.address),
  };
}
