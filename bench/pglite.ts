// Runs code against PGlite alone (no Fastify, no broker) in a plain node process, on a copy of a data
// dir's `pglite` folder, to see how much of the platform's memory and request time is the database.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, removeTempDir, tempDir } from './lib.ts';

/**
 * Opens PGlite on a copy of `<dataDir>/pglite` with src/core/db's own `openDatabase` (or, with
 * `postgis: false`, PGlite alone with the same `shared_buffers`), then runs `body`: ESM statements with `db` (the PGlite instance) and `mb()` (this
 * process's RSS in MB) in scope that `return` a JSON value. Resolves to that value plus `openS` (seconds
 * to import and open) and `rss` (MB, one second after `body`).
 */
const dbModule = pathToFileURL(join(import.meta.dirname, '../src/core/db/index.ts')).href;

export async function withPglite<T extends object>(
  dataDir: string,
  body: string,
  postgis = true,
): Promise<T & { openS: number; rss: number }> {
  const copy = tempDir('mueang-bench-pglite-');
  const dir = join(copy, 'pglite');
  cpSync(join(dataDir, 'pglite'), dir, { recursive: true });
  const code = `
    const mb = () => process.memoryUsage().rss / 1048576;
    const t0 = performance.now();
    const { PGlite } = await import('@electric-sql/pglite');
    const { openDatabase } = await import(${JSON.stringify(dbModule)});
    const db = ${postgis}
      ? (await openDatabase({ dataDir: ${JSON.stringify(copy)} })).pglite
      : await PGlite.create({ dataDir: ${JSON.stringify(dir)}, startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'] });
    await db.query('select 1');
    const openS = (performance.now() - t0) / 1000;
    const result = await (async () => { ${body} })();
    await new Promise((ok) => setTimeout(ok, 1000));
    console.log(JSON.stringify({ ...result, openS, rss: mb() }));
    await db.close();`;
  // tsx, so the probe opens the database with the platform's own code (trimmed PostGIS bundle, settings).
  const proc = launch(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {});
  try {
    const exit = await new Promise<number | null>((ok) => proc.child.once('exit', (c) => ok(c)));
    if (exit !== 0) throw new Error(`PGlite probe failed (${exit}):\n${proc.output()}`);
    return JSON.parse(proc.output().trim().split('\n').at(-1) ?? '');
  } finally {
    await proc.stop();
    removeTempDir(copy);
  }
}
