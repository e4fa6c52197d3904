// The server's TypeScript compiled once into plain ESM (dist/server/<build>/cli.js), so that
// `npm start` runs in plain Node instead of through tsx's loader: tsx compiles every module at run time
// and keeps its transforms and source maps, ~50–130 MB more resident memory for the same server
// (docs/benchmarks.md, "Foundation"). The bundle is rebuilt whenever a source file it was built from
// changed, so an edited src/ is never run stale. Packages stay outside the bundle (loaded from
// node_modules as usual), and what src/ loads with `await import()` stays a separate file loaded on
// first use (code splitting), as under tsx.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

const checkout = join(import.meta.dirname, '..');
const outRootOf = (root) => join(root, 'dist/server');
const manifestOf = (root) => join(outRootOf(root), 'current.json');
const FORMAT = 1; // bump when the way the bundle is built changes

/**
 * The entry file of the current build if it is up to date — every input it was built from has the
 * size and mtime it had then — otherwise undefined.
 */
export function freshBundle(root = checkout) {
  const [outRoot, manifestFile] = [outRootOf(root), manifestOf(root)];
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    statSync(join(outRoot, manifest.build, 'cli.js'));
  } catch {
    return undefined;
  }
  if (manifest.format !== FORMAT) return undefined;
  for (const [file, stamp] of Object.entries(manifest.inputs)) {
    try {
      const s = statSync(join(root, file));
      if (`${s.size}:${s.mtimeMs}` !== stamp) return undefined;
    } catch {
      return undefined;
    }
  }
  return join(outRoot, manifest.build, 'cli.js');
}

/**
 * Modules find their migrations, fonts and JSON-LD contexts next to their own source file
 * (`import.meta.dirname`); in the bundle those expressions are rewritten to the source file's place,
 * found from the bundle's own location so that the checkout can move.
 */
const sourcePlaces = (root) => ({
  name: 'source-places',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const file = relative(root, args.path).split('\\').join('/');
      const contents = text
        .replaceAll('import.meta.dirname', `__mueangPath(${JSON.stringify(dirname(file))})`)
        .replaceAll('import.meta.url', `__mueangUrl(${JSON.stringify(file)})`);
      return { contents, loader: 'ts' };
    });
  },
});

const banner = `import { join as __mueangJoin } from 'node:path';
import { fileURLToPath as __mueangToPath, pathToFileURL as __mueangToUrl } from 'node:url';
const __mueangRoot = __mueangToPath(new URL('../../../', import.meta.url));
const __mueangPath = (rel) => __mueangJoin(__mueangRoot, rel);
const __mueangUrl = (rel) => __mueangToUrl(__mueangJoin(__mueangRoot, rel)).href;`;

/**
 * Builds src/cli.ts into a new dist/server/<hash>/ with esbuild, then points current.json at it
 * (atomic: parallel starts may race, and a running server may still load chunks of its own build).
 */
export async function buildBundle(root = checkout) {
  const [outRoot, manifestFile] = [outRootOf(root), manifestOf(root)];
  const esbuild = await import('esbuild');
  try {
    const result = await esbuild.build({
      absWorkingDir: root, // metafile paths are relative to it
      entryPoints: [join(root, 'src/cli.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      outdir: outRoot, // only names the output files: write is off
      splitting: true,
      chunkNames: 'chunk-[hash]',
      write: false,
      metafile: true,
      banner: { js: banner },
      plugins: [sourcePlaces(root)],
      logLevel: 'error',
    });
    const inputs = {};
    for (const file of Object.keys(result.metafile.inputs)) {
      const s = statSync(join(root, file));
      inputs[file] = `${s.size}:${s.mtimeMs}`;
    }
    const hash = createHash('sha256');
    for (const f of result.outputFiles) hash.update(f.path).update(f.contents);
    const build = hash.digest('hex').slice(0, 16);
    const partial = join(outRoot, `${build}.${process.pid}.partial`);
    mkdirSync(partial, { recursive: true });
    for (const f of result.outputFiles) writeFileSync(join(partial, relative(outRoot, f.path)), f.contents);
    try {
      renameSync(partial, join(outRoot, build));
    } catch {
      rmSync(partial, { recursive: true, force: true }); // the same build is already there
    }
    writeFileSync(`${manifestFile}.${process.pid}`, JSON.stringify({ format: FORMAT, build, inputs }));
    renameSync(`${manifestFile}.${process.pid}`, manifestFile);
    removeOldBuilds(outRoot, build);
  } finally {
    await esbuild.stop(); // its service process would otherwise stay alive beside the server
  }
}

/** Keeps the newest three builds: a server started from an older one may still load its chunks. */
function removeOldBuilds(outRoot, current) {
  const builds = readdirSync(outRoot, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== current && !d.name.endsWith('.partial'))
    .map((d) => ({ dir: join(outRoot, d.name), at: statSync(join(outRoot, d.name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const old of builds.slice(2)) rmSync(old.dir, { recursive: true, force: true });
}

/** Entry file of an up-to-date build, building it when needed. */
export async function serverBundle(root = checkout) {
  const fresh = freshBundle(root);
  if (fresh) return fresh;
  await buildBundle(root);
  const built = freshBundle(root);
  if (!built) throw new Error('the server bundle is stale right after building it');
  return built;
}
