import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Events } from '../events/outbox.ts';
import { seedDemo } from '../seed.ts';
import { freshDatabase, type TestDb } from '../testing/index.ts';
import { backup, restore, tablesInOrder } from './backup.ts';
import { migrate } from './migrate.ts';

let a: TestDb;
beforeAll(async () => {
  a = await freshDatabase();
  await seedDemo(a.db, new Events(a.db, pino({ level: 'silent' })), []);
});
afterAll(() => a?.dispose());

const dir = mkdtempSync(join(tmpdir(), 'mueang-db-'));

async function snapshot(db: TestDb['db']) {
  const out: Record<string, unknown[]> = {};
  for (const table of await tablesInOrder(db)) {
    out[table] = (
      await db.rows<{ r: string }>(sql`SELECT row_to_json(t)::text AS r FROM ${sql.identifier(table)} t`)
    )
      .map((x) => x.r)
      .sort();
  }
  return out;
}

describe('database', () => {
  it('has PostGIS', async () => {
    const [row] = await a.db.rows<{ d: number }>(
      sql`SELECT round(ST_Distance(ST_MakePoint(102.8236, 16.4419)::geography, ST_MakePoint(102.8359, 16.4322)::geography)) AS d`,
    );
    expect(Number(row.d)).toBeGreaterThan(1500);
    expect(Number(row.d)).toBeLessThan(1800);
  });

  it('takes a json parameter given as UTF-8 bytes as its text, and one given as a string as before', async () => {
    const text = '[{"th":"ภาษีที่ต้องชำระ","en":"Tax due","satang":12345}]';
    const [row] = await a.db.rows<{ bytes: unknown; string: unknown }>(
      sql`SELECT ${Buffer.from(text)}::json AS bytes, ${text}::json AS string`,
    );
    expect(row.bytes).toEqual([{ th: 'ภาษีที่ต้องชำระ', en: 'Tax due', satang: 12345 }]);
    expect(row.string).toEqual(row.bytes);
  });

  it('commits a transaction together or not at all', async () => {
    await expect(
      a.db.transaction(async (tx) => {
        await tx.execute(
          sql`INSERT INTO core_offices (code, name_th, name_en, kind) VALUES ('tx-test', 'ท', 'T', 'office')`,
        );
        await tx.execute(
          sql`INSERT INTO core_offices (code, name_th, name_en, kind) VALUES ('tx-test', 'ท', 'T', 'office')`,
        );
      }),
    ).rejects.toThrow();
    expect(await a.db.rows(sql`SELECT 1 FROM core_offices WHERE code = 'tx-test'`)).toHaveLength(0);
  });

  it('answers a prepared statement as rows does, run again with new values, beside other texts and in a transaction', async () => {
    const byCode = (code: string) => sql`SELECT code, kind FROM core_offices WHERE code = ${code}`;
    const count = (kind: string) =>
      sql`SELECT count(*)::int AS n FROM core_offices WHERE kind = ${kind} AND code <> ${'none'}`;
    const [first] = await a.db.rows<{ code: string }>(
      sql`SELECT code FROM core_offices ORDER BY code LIMIT 1`,
    );
    // More runs than PostgreSQL's five custom plans, so the generic plan answers too.
    for (let i = 0; i < 7; i++) {
      expect(await a.db.prepared(byCode(first.code))).toEqual(await a.db.rows(byCode(first.code)));
      expect(await a.db.prepared(byCode('no-such-office'))).toEqual([]);
      expect(await a.db.prepared(count('office'))).toEqual(await a.db.rows(count('office')));
    }
    await a.db.transaction(async (tx) => {
      await tx.execute(
        sql`INSERT INTO core_offices (code, name_th, name_en, kind) VALUES ('prep-test', 'ท', 'T', 'office')`,
      );
      expect(await a.db.prepared(byCode('prep-test'), tx)).toEqual([{ code: 'prep-test', kind: 'office' }]);
      await tx.execute(sql`DELETE FROM core_offices WHERE code = 'prep-test'`);
    });
    expect(await a.db.prepared(byCode('prep-test'))).toEqual([]);
  });

  it('backs up every row and restores them into an empty database', async () => {
    const file = join(dir, 'backup.jsonl.gz');
    await a.db.orm.execute(
      sql`INSERT INTO core_audit_log (action, resource_type, detail) VALUES ('test.note', 'test', '{"ข้อความ":"ภาษาไทย"}')`,
    );
    const written = await backup(a.db, file);
    expect(written).toBeGreaterThan(20);
    const b = await freshDatabase();
    try {
      expect(await restore(b.db, file)).toBe(written);
      expect(await snapshot(b.db)).toEqual(await snapshot(a.db));
      // Serials continue after the restored rows; geometry survived.
      await b.db.orm.execute(
        sql`INSERT INTO core_audit_log (action, resource_type) VALUES ('after.restore', 'test')`,
      );
      const [z] = await b.db.rows<{ ok: boolean }>(
        sql`SELECT bool_and(ST_IsValid(geom)) AS ok FROM core_zones`,
      );
      expect(z.ok).toBe(true);
      await expect(restore(b.db, file)).rejects.toThrow(/empty database/);
    } finally {
      await b.dispose();
    }
  });

  it('refuses a file that is not a backup', async () => {
    const { gzipSync } = await import('node:zlib');
    const file = join(dir, 'not-a-backup.gz');
    writeFileSync(file, gzipSync('{"hello":"world"}\n'));
    const c = await freshDatabase();
    try {
      await expect(restore(c.db, file)).rejects.toThrow(/not a Mueang backup/);
    } finally {
      await c.dispose();
    }
  });
});

describe('migrations', () => {
  it('applies a module after core, records it, and skips it the next time', async () => {
    const mdir = join(dir, 'mod-migrations');
    mkdirSync(mdir, { recursive: true });
    writeFileSync(
      join(mdir, '0001_init.sql'),
      'CREATE TABLE demo_mod_things (id serial PRIMARY KEY, at geometry(Point, 4326));',
    );
    const sources = [{ owner: 'demo-mod', dir: mdir }];
    expect(await migrate(a.db, sources)).toEqual(['demo-mod/0001_init.sql']);
    expect(await migrate(a.db, sources)).toEqual([]);
  });

  it('refuses a migration edited after it was applied', async () => {
    const mdir = join(dir, 'mod-migrations');
    writeFileSync(join(mdir, '0001_init.sql'), 'CREATE TABLE demo_mod_things (id bigserial PRIMARY KEY);');
    await expect(migrate(a.db, [{ owner: 'demo-mod', dir: mdir }])).rejects.toThrow(
      /changed after it was applied/,
    );
  });

  it('names the file that fails and leaves nothing half-applied', async () => {
    const bad = join(dir, 'bad-migrations');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, '0001_bad.sql'), 'CREATE TABLE half_done (id int); SELECT * FROM no_such_table;');
    await expect(migrate(a.db, [{ owner: 'bad', dir: bad }])).rejects.toThrow(/bad\/0001_bad.sql/);
    expect(await a.db.rows(sql`SELECT 1 FROM pg_class WHERE relname = 'half_done'`)).toHaveLength(0);
    expect(await a.db.rows(sql`SELECT 1 FROM core_migrations WHERE owner = 'bad'`)).toHaveLength(0);
  });
});
