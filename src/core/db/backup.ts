import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { sql } from 'drizzle-orm';
import type { Db } from './index.ts';

const format = 'mueang-backup';
const pageSize = 500;

/**
 * Our tables, parents before children (by foreign keys), so a restore never breaks a reference. A
 * table whose comment starts `mueang:no-backup` holds only what the database derives (a cache's
 * version signal) and is left out of backups.
 */
export async function tablesInOrder(db: Db): Promise<string[]> {
  const tables = (
    await db.rows<{
      name: string;
    }>(sql`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname NOT IN ('spatial_ref_sys', 'core_migrations')
        AND COALESCE(obj_description(c.oid, 'pg_class'), '') NOT LIKE 'mueang:no-backup%'
      ORDER BY c.relname`)
  ).map((r) => r.name);
  const deps = await db.rows<{
    child: string;
    parent: string;
  }>(sql`SELECT cl.relname AS child, pr.relname AS parent
    FROM pg_constraint k JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_class pr ON pr.oid = k.confrelid
    WHERE k.contype = 'f' AND cl.relname <> pr.relname`);
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (t: string) => {
    if (ordered.includes(t) || visiting.has(t)) return;
    visiting.add(t);
    for (const d of deps) if (d.child === t && tables.includes(d.parent)) visit(d.parent);
    ordered.push(t);
  };
  for (const t of tables) visit(t);
  return ordered;
}

/**
 * A logical backup as gzip'd JSON lines: a header, then pages of rows per table. Geometry travels as
 * EWKB hex, so a backup of the embedded database restores into PostgreSQL and back.
 */
export async function backup(db: Db, file: string): Promise<number> {
  const migrations = await db.rows<{ owner: string; name: string }>(
    sql`SELECT owner, name FROM core_migrations ORDER BY owner, name`,
  );
  const tables = await tablesInOrder(db);
  let count = 0;
  async function* lines() {
    yield `${JSON.stringify({ format, version: 1, createdAt: new Date().toISOString(), migrations })}\n`;
    for (const table of tables) {
      for (let offset = 0; ; offset += pageSize) {
        const rows = await db.rows<{ r: unknown }>(
          sql`SELECT row_to_json(t) AS r FROM ${sql.identifier(table)} t ORDER BY ctid LIMIT ${pageSize} OFFSET ${offset}`,
        );
        if (rows.length === 0) break;
        count += rows.length;
        yield `${JSON.stringify({ table, rows: rows.map((x) => x.r) })}\n`;
        if (rows.length < pageSize) break;
      }
    }
  }
  await pipeline(lines, createGzip(), createWriteStream(file));
  return count;
}

/** Loads a backup into a database whose tables are all empty (fresh, migrated, not seeded). */
export async function restore(db: Db, file: string): Promise<number> {
  const tables = await tablesInOrder(db);
  for (const table of tables) {
    const [row] = await db.rows(sql`SELECT 1 FROM ${sql.identifier(table)} LIMIT 1`);
    if (row)
      throw new Error(
        `Restore needs an empty database, but ${table} has rows (start with DEMO=false on a new DATA_DIR or database)`,
      );
  }
  // Generated columns are computed by the database and refuse a value: a backup carries them (it is
  // every column's value), a restore leaves them out and lets them be computed again.
  const stored = await db.rows<{ tbl: string; cols: string[] }>(
    sql`SELECT c.relname AS tbl, array_agg(a.attname::text ORDER BY a.attnum) AS cols
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      GROUP BY c.relname`,
  );
  const columns = new Map(stored.map((r) => [r.tbl, r.cols]));
  let header: { format?: string } | null = null;
  let count = 0;
  await db.transaction(async (tx) => {
    // Opened right before it is read: readline emits lines as soon as it exists, and lines emitted
    // while something else is awaited would be lost.
    const input = createInterface({
      input: createReadStream(file).pipe(createGunzip()),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const line of input) {
      if (!line.trim()) continue;
      const record = JSON.parse(line);
      if (!header) {
        header = record;
        if (header?.format !== format) throw new Error(`${file} is not a Mueang backup`);
        continue;
      }
      const { table, rows } = record as { table: string; rows: unknown[] };
      if (!tables.includes(table))
        throw new Error(`Backup has table ${table}, which this version does not know`);
      const cols = sql.join(
        (columns.get(table) ?? []).map((c) => sql.identifier(c)),
        sql`, `,
      );
      await tx.execute(
        sql`INSERT INTO ${sql.identifier(table)} (${cols}) SELECT ${cols} FROM json_populate_recordset(NULL::${sql.identifier(table)}, ${JSON.stringify(rows)}::json)`,
      );
      count += rows.length;
    }
    // Serial columns continue after the restored ids.
    const serials = await db.rows<{ tbl: string; col: string; seq: string }>(
      sql`SELECT c.table_name AS tbl, c.column_name AS col, pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) AS seq
        FROM information_schema.columns c WHERE c.table_schema = current_schema()
          AND pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) IS NOT NULL`,
      tx,
    );
    for (const s of serials) {
      await tx.execute(
        sql`SELECT setval(${s.seq}, COALESCE((SELECT max(${sql.identifier(s.col)}) FROM ${sql.identifier(s.tbl)}), 0) + 1, false)`,
      );
    }
  });
  if (!header) throw new Error(`${file} is empty`);
  return count;
}
