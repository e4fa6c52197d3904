import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgDialect, PgQueryResultHKT, PgSession } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { dbMetrics } from '../http/metrics.ts';
import { postgisExtension } from './postgis-bundle.ts';

export type Orm = PgDatabase<PgQueryResultHKT, Record<string, never>>;
/** What repositories receive: the database itself or an open transaction. */
export type Executor = Pick<Orm, 'execute' | 'select' | 'insert' | 'update' | 'delete'>;

export interface Db {
  kind: 'pglite' | 'postgres';
  orm: Orm;
  /** Runs `fn` in one transaction; what it writes is committed together or not at all. */
  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T>;
  /** Rows of a parameterised statement built with drizzle's `sql` template. */
  rows<T = Record<string, unknown>>(query: SQL, on?: Executor): Promise<T[]>;
  /**
   * `rows` for hot paths: on PostgreSQL the statement is prepared once per connection under a name
   * kept for its text, so later runs skip parsing and (once PostgreSQL settles on a generic plan)
   * planning. For statements built from a bounded set of texts; the first 500 texts get a name, the
   * rest run as `rows`. The same as `rows` on PGlite.
   */
  prepared<T = Record<string, unknown>>(query: SQL, on?: Executor): Promise<T[]>;
  /** Several statements at once, in one transaction (migrations, restores). */
  execScript(text: string): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** A dump made by `dumpDataDir`, to start PGlite from a prepared state (tests). */
  loadDataDir?: Blob;
  /** PGlite's `shared_buffers` (e.g. `32MB`); PostgreSQL servers keep their own setting. */
  sharedBuffers?: string;
  /**
   * PGlite only: how far V8 lets the JS heap grow past what a full collection left live, in percent
   * (`--heap-growing-percent`; 0 leaves V8's own factor, up to 4×). Set for the whole process when
   * PGlite opens. See `limitHeapGrowth`.
   */
  heapGrowingPercent?: number;
  /** PostgreSQL only: connections in the pool (10 unless given). */
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Db> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize) : openPglite(options);
}

/** `PGLITE_HEAP_GROWING_PERCENT`'s default (docs/configuration.md, docs/benchmarks.md issue 7). */
export const defaultHeapGrowingPercent = 30;

/**
 * Caps how far V8 grows the JS heap between full collections: the next collection comes when the
 * heap reaches (1 + percent/100) × what the last one left live. V8's own factor goes up to 4× on a
 * machine with much memory, so garbage that outlives the young generation (a page of rows read
 * through PGlite, say) piles up to several times the live heap before it is collected; with PGlite
 * in the same process, and its ~450 MB already resident, that pile is what takes the process over
 * its memory budget (the whole-city tax assessment: +150 MB of JS heap). Unlike a heap size cap
 * (`--max-old-space-size`) it never ends the process: a heap that needs more still grows, with
 * more frequent collections. 0 leaves V8's default. Process-wide: V8 reads the flag at each full
 * collection, so it holds from here on for everything the process runs.
 */
export function limitHeapGrowth(percent: number): void {
  if (!Number.isInteger(percent) || percent < 0 || percent > 1000)
    throw new RangeError(`heap growing percent must be a whole number from 0 to 1000, not ${percent}`);
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}

async function openPglite(options: OpenOptions): Promise<Db> {
  // Before the import: PGlite's bundle and the opening's garbage are collected under the same rule.
  limitHeapGrowth(options.heapGrowingPercent ?? defaultHeapGrowingPercent);
  const [{ PGlite, types }, postgis, { drizzle }] = await Promise.all([
    import('@electric-sql/pglite'),
    postgisExtension(),
    import('drizzle-orm/pglite'),
  ]);
  let dataDir: string | undefined;
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    dataDir = join(options.dataDir, 'pglite');
  }
  // A json parameter given as UTF-8 bytes goes in the binary format, which for json is its text, as
  // node-postgres sends a Buffer: the tax assessment's bills (a page's JSON) then never become a string
  // in the JS heap. Any other value is serialized as before.
  const json = types.serializers[types.JSON];
  const client: PGlite = await PGlite.create({
    serializers: {
      [types.JSON]: (x: unknown) => (x instanceof Uint8Array ? (x as unknown as string) : json(x)),
    },
    dataDir,
    loadDataDir: options.loadDataDir,
    extensions: { postgis },
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${options.sharedBuffers ?? '32MB'}`],
  });
  // PGlite keeps each extension's unpacked bundle (PostGIS: 34 MB) after copying its files into the
  // WASM file system; nothing reads it again once the database is open.
  const mod = (client as unknown as { mod?: { pg_extensions?: Record<string, unknown> } }).mod;
  if (mod?.pg_extensions) mod.pg_extensions = {};
  const orm = drizzle({ client: timed(client) }) as unknown as Orm;
  const execScript = async (text: string) => {
    await client.transaction(async (tx) => void (await tx.exec(text)));
  };
  const db = wrap('pglite', orm, execScript, () => client.close());
  return Object.assign(db, { pglite: client });
}

async function openPostgres(url: string, poolSize = 10): Promise<Db> {
  const [{ default: pgModule }, { drizzle }] = await Promise.all([
    import('pg'),
    import('drizzle-orm/node-postgres'),
  ]);
  // Return int8/numeric as JS values the same way PGlite does would need care; we keep strings for
  // numeric (exact money) and parse int8 counts in SQL with ::int where a number is wanted.
  const pool: pg.Pool = new pgModule.Pool({ connectionString: url, max: poolSize });
  pool.on('error', () => {}); // an idle client's error must not crash the process; queries report their own
  const orm = drizzle({ client: timed(pool) }) as unknown as Orm;
  const execScript = async (text: string) => {
    const conn = await pool.connect();
    try {
      await conn.query('BEGIN');
      await conn.query(text);
      await conn.query('COMMIT');
    } catch (e) {
      await conn.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      conn.release();
    }
  };
  return wrap('postgres', orm, execScript, () => pool.end());
}

function wrap(
  kind: Db['kind'],
  orm: Orm,
  execScript: (text: string) => Promise<void>,
  close: () => Promise<void>,
): Db {
  let closed = false;
  const statementNames = new Map<string, string>();
  return {
    kind,
    orm,
    async transaction(fn) {
      const end = dbMetrics.transactionDuration.startTimer();
      try {
        return await orm.transaction((tx) => fn(tx as unknown as Executor));
      } finally {
        end();
      }
    },
    async rows<T>(query: SQL, on: Executor = orm) {
      const result = (await on.execute(query)) as unknown as { rows: T[] };
      return result.rows;
    },
    async prepared<T>(query: SQL, on: Executor = orm) {
      if (kind !== 'postgres') return this.rows<T>(query, on);
      // drizzle's own path for `execute`, with a statement name (node-postgres prepares a named
      // statement once per connection and reuses it while the text is the same).
      const { dialect, session } = on as unknown as { dialect: PgDialect; session: PgSession };
      const built = dialect.sqlToQuery(query);
      let name = statementNames.get(built.sql);
      if (name === undefined && statementNames.size < 500) {
        name = `mueang_${statementNames.size + 1}`;
        statementNames.set(built.sql, name);
      }
      const result = (await session.prepareQuery(built, undefined, name, false).execute()) as { rows: T[] };
      return result.rows;
    },
    execScript,
    async ping() {
      try {
        await orm.execute(sql`select 1`);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await close();
    },
  };
}

/** Times every statement that does not run inside a transaction (those are timed as a whole). */
function timed<C extends { query: (...args: never[]) => Promise<unknown> }>(client: C): C {
  const original = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  (client as { query: unknown }).query = async (...args: unknown[]) => {
    const end = dbMetrics.queryDuration.startTimer();
    try {
      return await original(...args);
    } catch (e) {
      dbMetrics.queryErrors.inc();
      throw e;
    } finally {
      end();
    }
  };
  return client;
}
