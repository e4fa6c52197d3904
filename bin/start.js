#!/usr/bin/env node
// `npm start`: runs the CLI from the precompiled bundle of src/ (scripts/server-bundle.js), rebuilt
// first if a source changed; falls back to tsx's loader if the bundle cannot be built (no esbuild).
// package.json passes V8 flags that keep the resident memory down (docs/benchmarks.md, "Foundation").
import { pathToFileURL } from 'node:url';

let entry;
try {
  const { serverBundle } = await import('../scripts/server-bundle.js');
  entry = pathToFileURL(await serverBundle()).href;
} catch (e) {
  console.error(`mueang: running through tsx (could not build the server bundle: ${e?.message ?? e})`);
  const { register } = await import('tsx/esm/api');
  register();
  entry = '../src/cli.ts';
}
await import(entry);
