import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationSources } from '../../server.ts';
import { openDatabase } from '../db/index.ts';
import { migrate, readMigrations } from '../db/migrate.ts';

const cacheDir = join(import.meta.dirname, '../../../node_modules/.cache/mueang');

/**
 * A PGlite data directory with PostGIS and every migration applied, dumped to a file keyed by the
 * migrations' checksums: creating PGlite and PostGIS from nothing takes ~10 s, loading this ~2 s.
 */
export async function prepareTemplate(): Promise<string> {
  const key = createHash('sha256')
    .update(
      readMigrations(migrationSources())
        .map((m) => `${m.owner}/${m.name}:${m.checksum}`)
        .join('\n'),
    )
    .digest('hex')
    .slice(0, 16);
  const file = join(cacheDir, `template-${key}.tar.gz`);
  if (existsSync(file)) return file;
  mkdirSync(cacheDir, { recursive: true });
  const db = await openDatabase({});
  await migrate(db, migrationSources());
  const dump = await (
    db as unknown as { pglite: { dumpDataDir(c: 'gzip'): Promise<Blob> } }
  ).pglite.dumpDataDir('gzip');
  await db.close();
  const tmp = `${file}.${process.pid}`;
  writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  renameSync(tmp, file);
  return file;
}

export function loadTemplate(file: string): Blob {
  return new Blob([readFileSync(file)]);
}
