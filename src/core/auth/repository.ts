import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../db/index.ts';
import type { Role } from './roles.ts';

export interface UserRow {
  id: string;
  kind: 'staff' | 'citizen';
  role: Role;
  email: string | null;
  phone: string | null;
  nationalId: string | null;
  displayName: string;
  officeId: string | null;
  officeCode: string | null;
  locale: 'th' | 'en';
  passwordHash: string;
  disabledAt: string | null;
}

const userColumns = sql`u.id, u.kind, u.role, u.email, u.phone, u.national_id AS "nationalId",
  u.display_name AS "displayName", u.office_id AS "officeId",
  (SELECT o.code FROM core_offices o WHERE o.id = u.office_id) AS "officeCode", u.locale, u.password_hash AS "passwordHash",
  u.disabled_at AS "disabledAt"`;

export interface NewUser {
  kind: 'staff' | 'citizen';
  role: Role;
  email: string | null;
  phone: string | null;
  nationalId: string | null;
  displayName: string;
  officeId: string | null;
  passwordHash: string;
  locale: 'th' | 'en';
  consent: boolean;
}

export class AuthRepository {
  constructor(private readonly db: Db) {}

  async insertUser(on: Executor, u: NewUser): Promise<UserRow> {
    const [row] = await this.db.rows<UserRow>(
      sql`WITH u AS (
        INSERT INTO core_users (kind, role, email, phone, national_id, display_name, office_id, password_hash, locale, consent_at)
        VALUES (${u.kind}, ${u.role}, ${u.email}, ${u.phone}, ${u.nationalId}, ${u.displayName}, ${u.officeId},
          ${u.passwordHash}, ${u.locale}, ${u.consent ? sql`now()` : null})
        RETURNING *) SELECT ${userColumns} FROM u`,
      on,
    );
    return row;
  }

  async contactTaken(on: Executor, email: string | null, phone: string | null, nationalId: string | null) {
    const rows = await this.db.rows(
      sql`SELECT 1 FROM core_users WHERE email = ${email} OR phone = ${phone} OR national_id = ${nationalId} LIMIT 1`,
      on,
    );
    return rows.length > 0;
  }

  async findByLogin(login: { email?: string; phone?: string }): Promise<UserRow | undefined> {
    const [row] = await this.db.rows<UserRow>(
      login.email
        ? sql`SELECT ${userColumns} FROM core_users u WHERE u.email = ${login.email}`
        : sql`SELECT ${userColumns} FROM core_users u WHERE u.phone = ${login.phone ?? null}`,
    );
    return row;
  }

  async findById(id: string, on?: Executor): Promise<UserRow | undefined> {
    const [row] = await this.db.rows<UserRow>(
      sql`SELECT ${userColumns} FROM core_users u WHERE u.id = ${id}`,
      on,
    );
    return row;
  }

  async listUsers(filter: { kind?: string; officeId?: string; limit: number; offset: number }) {
    const where = sql`WHERE (${filter.kind ?? null}::text IS NULL OR u.kind = ${filter.kind ?? null})
      AND (${filter.officeId ?? null}::uuid IS NULL OR u.office_id = ${filter.officeId ?? null}::uuid)`;
    const [items, count] = await Promise.all([
      this.db.rows<UserRow>(
        sql`SELECT ${userColumns} FROM core_users u ${where} ORDER BY u.created_at, u.id LIMIT ${filter.limit} OFFSET ${filter.offset}`,
      ),
      this.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM core_users u ${where}`),
    ]);
    return { items, total: count[0].n };
  }

  async insertSession(
    on: Executor,
    s: {
      idHash: string;
      userId: string;
      csrf: string;
      ttlHours: number;
      ip: string | null;
      userAgent: string | null;
    },
  ) {
    await on.execute(sql`INSERT INTO core_sessions (id_hash, user_id, csrf_token, expires_at, ip, user_agent)
      VALUES (${s.idHash}, ${s.userId}, ${s.csrf}, now() + make_interval(hours => ${s.ttlHours}), ${s.ip}, ${s.userAgent})`);
  }

  async sessionUser(idHash: string): Promise<(UserRow & { csrfToken: string }) | undefined> {
    const [row] = await this.db.rows<UserRow & { csrfToken: string }>(
      sql`SELECT ${userColumns}, s.csrf_token AS "csrfToken" FROM core_sessions s JOIN core_users u ON u.id = s.user_id
        WHERE s.id_hash = ${idHash} AND s.expires_at > now() AND u.disabled_at IS NULL`,
    );
    return row;
  }

  async deleteSession(on: Executor, idHash: string) {
    await on.execute(sql`DELETE FROM core_sessions WHERE id_hash = ${idHash}`);
  }

  async insertToken(
    on: Executor,
    t: { userId: string; name: string; hash: string; expiresAt: string | null },
  ) {
    const [row] = await this.db.rows<{ id: string }>(
      sql`INSERT INTO core_tokens (user_id, name, token_hash, expires_at)
        VALUES (${t.userId}, ${t.name}, ${t.hash}, ${t.expiresAt}::timestamptz) RETURNING id`,
      on,
    );
    return row.id;
  }

  async tokenUser(hash: string): Promise<(UserRow & { tokenId: string; stale: boolean }) | undefined> {
    const [row] = await this.db.rows<UserRow & { tokenId: string; stale: boolean }>(
      sql`SELECT ${userColumns}, t.id AS "tokenId",
          (t.last_used_at IS NULL OR t.last_used_at < now() - interval '5 minutes') AS stale
        FROM core_tokens t JOIN core_users u ON u.id = t.user_id
        WHERE t.token_hash = ${hash} AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
          AND u.disabled_at IS NULL`,
    );
    return row;
  }

  /** Coarse on purpose: one write per token per five minutes, not one per request. */
  async touchToken(tokenId: string) {
    await this.db.orm.execute(sql`UPDATE core_tokens SET last_used_at = now() WHERE id = ${tokenId}`);
  }

  async listTokens(userId: string) {
    return this.db.rows<{
      id: string;
      name: string;
      createdAt: string;
      lastUsedAt: string | null;
      expiresAt: string | null;
    }>(
      sql`SELECT id, name, created_at AS "createdAt", last_used_at AS "lastUsedAt", expires_at AS "expiresAt"
        FROM core_tokens WHERE user_id = ${userId} AND revoked_at IS NULL ORDER BY created_at`,
    );
  }

  async revokeToken(on: Executor, userId: string, tokenId: string): Promise<boolean> {
    const rows = await this.db.rows(
      sql`UPDATE core_tokens SET revoked_at = now() WHERE id = ${tokenId} AND user_id = ${userId} AND revoked_at IS NULL RETURNING id`,
      on,
    );
    return rows.length > 0;
  }
}
