import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../../core/db/index.ts';

export type ContextKind = 'Hosted' | 'Cached' | 'ImplicitlyCreated';
export const contextKinds: ContextKind[] = ['Hosted', 'Cached', 'ImplicitlyCreated'];

/** One stored @context (ctx_jsonld_contexts). */
export interface StoredContext {
  tenant: string;
  id: string;
  kind: ContextKind;
  /** The original URL of a Cached context, else null. */
  url: string | null;
  document: unknown;
  createdAt: string;
}

const columns = sql`tenant, id, kind, url, document,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAt"`;

/** The SQL of the broker's @context store (clause 5.13), per tenant. */
export class JsonldContextStore {
  constructor(readonly db: Db) {}

  /** Every stored context of every tenant (loaded into memory at start). */
  all(): Promise<StoredContext[]> {
    return this.db.rows(sql`SELECT ${columns} FROM ctx_jsonld_contexts`);
  }

  list(tenant: string, kind?: ContextKind): Promise<StoredContext[]> {
    return this.db.rows(
      sql`SELECT ${columns} FROM ctx_jsonld_contexts
        WHERE tenant = ${tenant} ${kind ? sql`AND kind = ${kind}` : sql``}
        ORDER BY created_at, id`,
    );
  }

  /** A context by local id, or (Cached) by its original URL. */
  async find(tenant: string, idOrUrl: string, on?: Executor): Promise<StoredContext | undefined> {
    const [row] = await this.db.rows<StoredContext>(
      sql`SELECT ${columns} FROM ctx_jsonld_contexts
        WHERE tenant = ${tenant} AND (id = ${idOrUrl} OR url = ${idOrUrl}) LIMIT 1`,
      on,
    );
    return row;
  }

  /** A hosted (or implicitly created) context by id, whatever its tenant (a URL names only the id). */
  async hostedById(id: string): Promise<StoredContext | undefined> {
    const [row] = await this.db.rows<StoredContext>(
      sql`SELECT ${columns} FROM ctx_jsonld_contexts WHERE id = ${id} AND kind <> 'Cached' LIMIT 1`,
    );
    return row;
  }

  async insertHosted(
    on: Executor,
    tenant: string,
    id: string,
    document: unknown,
    kind: 'Hosted' | 'ImplicitlyCreated' = 'Hosted',
  ): Promise<StoredContext> {
    const [row] = await this.db.rows<StoredContext>(
      sql`INSERT INTO ctx_jsonld_contexts (tenant, id, kind, document)
        VALUES (${tenant}, ${id}, ${kind}, ${JSON.stringify(document)}::jsonb) RETURNING ${columns}`,
      on,
    );
    return row;
  }

  /** Records a fetched remote context for a tenant (the same URL for another tenant is its own row). */
  async saveCached(tenant: string, id: string, url: string, document: unknown): Promise<void> {
    await this.db.rows(
      sql`INSERT INTO ctx_jsonld_contexts (tenant, id, kind, url, document)
        VALUES (${tenant}, ${id}, 'Cached', ${url}, ${JSON.stringify(document)}::jsonb)
        ON CONFLICT (tenant, url) WHERE url IS NOT NULL DO UPDATE SET document = EXCLUDED.document`,
    );
  }

  /** A reload: the new document for every tenant's copy of the URL, and a new creation time for this one. */
  async reloadCached(on: Executor, tenant: string, url: string, document: unknown): Promise<void> {
    await this.db.rows(
      sql`UPDATE ctx_jsonld_contexts SET document = ${JSON.stringify(document)}::jsonb,
          created_at = CASE WHEN tenant = ${tenant} THEN now() ELSE created_at END
        WHERE url = ${url}`,
      on,
    );
  }

  async delete(on: Executor, tenant: string, id: string): Promise<void> {
    await this.db.rows(sql`DELETE FROM ctx_jsonld_contexts WHERE tenant = ${tenant} AND id = ${id}`, on);
  }

  /** Whether any tenant still keeps a copy of a remote URL. */
  async urlKept(on: Executor, url: string): Promise<boolean> {
    const rows = await this.db.rows(sql`SELECT 1 FROM ctx_jsonld_contexts WHERE url = ${url} LIMIT 1`, on);
    return rows.length > 0;
  }

  /**
   * The tenant's subscriptions whose @context or `jsonldContext` names `needle` (a URL, or a hosted
   * context's `/jsonldContexts/<id>`): they are rendered with it for as long as they exist.
   */
  async subscriptionsUsing(on: Executor, tenant: string, needle: string): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(
      sql`SELECT id FROM ctx_subscriptions
        WHERE tenant = ${tenant}
          AND (strpos(COALESCE(context::text, ''), ${needle}) > 0
            OR strpos(COALESCE(body->>'jsonldContext', ''), ${needle}) > 0)
        ORDER BY id LIMIT 5`,
      on,
    );
    return rows.map((r) => r.id);
  }
}
