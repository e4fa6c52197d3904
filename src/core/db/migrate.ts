import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db } from './index.ts';

export interface MigrationSource {
  /** Owner: `core`, a platform part or a module id. Applied in the order the sources are given. */
  owner: string;
  dir: string;
}

export interface Migration {
  owner: string;
  name: string;
  text: string;
  checksum: string;
}

export function readMigrations(sources: MigrationSource[]): Migration[] {
  return sources.flatMap(({ owner, dir }) => {
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .map((name) => {
        const text = readFileSync(join(dir, name), 'utf8');
        return { owner, name, text, checksum: createHash('sha256').update(text).digest('hex') };
      });
  });
}

/**
 * Applies what is missing, each file with its bookkeeping row in one transaction. The primary key
 * on (owner, name) stops a second process from applying the same file twice. An applied file that
 * changed since is an error: the schema changes by a new file, never by editing history.
 */
export async function migrate(db: Db, sources: MigrationSource[]): Promise<string[]> {
  const all = readMigrations(sources);
  await db.execScript(`CREATE TABLE IF NOT EXISTS core_migrations (
    owner text NOT NULL, name text NOT NULL, checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (owner, name))`);
  const done = await db.rows<{ owner: string; name: string; checksum: string }>(
    sql`SELECT owner, name, checksum FROM core_migrations`,
  );
  const known = new Map(done.map((r) => [`${r.owner}/${r.name}`, r.checksum]));
  const applied: string[] = [];
  for (const m of all) {
    const key = `${m.owner}/${m.name}`;
    const checksum = known.get(key);
    if (checksum !== undefined) {
      if (checksum !== m.checksum) throw new Error(`Migration ${key} was changed after it was applied`);
      continue;
    }
    const record = `INSERT INTO core_migrations (owner, name, checksum) VALUES (${literal(m.owner)}, ${literal(m.name)}, ${literal(m.checksum)});`;
    try {
      await db.execScript(`${m.text}\n;\n${record}`);
    } catch (e) {
      throw new Error(`Migration ${key} failed: ${(e as Error).message}`);
    }
    applied.push(key);
  }
  return applied;
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
