import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Extension } from '@electric-sql/pglite';
import { createTar, parseTar } from 'nanotar';

/**
 * PGlite unpacks every file of an extension bundle into its in-memory file system and compiles every
 * `.so` in it at start. The published PostGIS bundle also carries raster, topology, the tiger
 * geocoder and every upgrade script since PostGIS 2.0 (91 MB unpacked, three 16 MB WebAssembly
 * libraries); Mueang uses only `CREATE EXTENSION postgis`. Starting from just that part halves the
 * time to open the database and takes ~280 MB off the process (docs/benchmarks.md).
 */
const wanted = (name: string) =>
  name === 'lib/postgresql/postgis-3.so' ||
  name.startsWith('share/proj/') ||
  /^share\/postgresql\/extension\/postgis(\.control|--\d[\d.]*\.sql)$/.test(name);

/** The `postgis` PGlite extension, loading the trimmed bundle (built once, then cached). */
export async function postgisExtension(): Promise<Extension> {
  const { postgis } = await import('@electric-sql/pglite-postgis');
  let bundle: URL;
  try {
    bundle = pathToFileURL(trimmedBundle());
  } catch {
    return postgis; // cannot write a cache anywhere: the full bundle still works, only heavier
  }
  return {
    name: postgis.name,
    setup: async (pg, emscriptenOpts) => {
      const result = await postgis.setup(pg, emscriptenOpts);
      return { ...result, bundlePath: bundle };
    },
  };
}

/** Path of the trimmed bundle for the installed PostGIS package, building it on first use. */
export function trimmedBundle(): string {
  const source = fileURLToPath(
    new URL('./postgis.tar.gz', import.meta.resolve('@electric-sql/pglite-postgis')),
  );
  const pkgDir = dirname(dirname(source));
  const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  const name = `postgis-${version}-core.tar.gz`;
  const candidates = [join(dirname(dirname(pkgDir)), '.cache', 'mueang'), join(tmpdir(), 'mueang')];
  for (const dir of candidates) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  const files = parseTar(gunzipSync(readFileSync(source)))
    .filter((f) => f.type === 'file' && wanted(f.name))
    .map((f) => ({ name: f.name, data: f.data, attrs: { mode: f.attrs?.mode ?? '644' } }));
  if (!files.some((f) => f.name.endsWith('.so'))) throw new Error(`no postgis library in ${source}`);
  const packed = gzipSync(createTar(files), { level: 1 });
  for (const dir of candidates) {
    try {
      mkdirSync(dir, { recursive: true });
      const target = join(dir, name);
      const partial = `${target}.${process.pid}.partial`;
      writeFileSync(partial, packed);
      renameSync(partial, target); // atomic: parallel test workers may build it at the same moment
      return target;
    } catch {}
  }
  throw new Error('no writable cache directory for the PostGIS bundle');
}
