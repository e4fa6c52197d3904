import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freshBundle, serverBundle } from './server-bundle.js';

const root = mkdtempSync(join(tmpdir(), 'mueang-bundle-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(file: string, text: string): void {
  mkdirSync(join(root, file, '..'), { recursive: true });
  writeFileSync(join(root, file), text);
}

/** Imports a build's entry (a fresh URL each time: the module cache would keep the first). */
async function run(entry: string): Promise<{ dir: string; url: string; word: string; lazy: string }> {
  const mod = await import(`${pathToFileURL(entry).href}?t=${Date.now()}`);
  return { ...mod.place, lazy: await mod.lazyWord() };
}

describe('server bundle', () => {
  it('points import.meta at the source file, keeps dynamic imports lazy and rebuilds when a source changes', async () => {
    write('src/mod/place.ts', 'export const place = { dir: import.meta.dirname, url: import.meta.url };\n');
    write('src/word.ts', "export const word: string = 'one';\n");
    write('src/later.ts', "export const later = 'lazy';\n");
    write(
      'src/cli.ts',
      "import { place as p } from './mod/place.ts';\nimport { word } from './word.ts';\n" +
        'export const place = { ...p, word };\n' +
        "export const lazyWord = async () => (await import('./later.ts')).later;\n",
    );
    expect(freshBundle(root)).toBeUndefined();
    const first = await serverBundle(root);
    expect(freshBundle(root)).toBe(first);
    const a = await run(first);
    expect(a.dir).toBe(join(root, 'src/mod'));
    expect(a.url).toBe(pathToFileURL(join(root, 'src/mod/place.ts')).href);
    expect(a.word).toBe('one');
    expect(a.lazy).toBe('lazy');
    // later.ts is its own file, loaded by the import() and not with the entry.
    expect(readFileSync(first, 'utf8')).not.toContain("'lazy'");
    expect(readdirSync(dirname(first)).length).toBeGreaterThan(1);

    // An edited source makes the build stale, even with the same size.
    write('src/word.ts', "export const word: string = 'two';\n");
    utimesSync(join(root, 'src/word.ts'), new Date(), new Date(Date.now() + 5000));
    expect(freshBundle(root)).toBeUndefined();
    const second = await serverBundle(root);
    expect(second).not.toBe(first);
    expect((await run(second)).word).toBe('two');

    // So does a deleted one.
    rmSync(join(root, 'src/later.ts'));
    expect(freshBundle(root)).toBeUndefined();
  });
});
