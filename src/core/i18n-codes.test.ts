import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasMessage, t } from './i18n.ts';

const root = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

describe('problem titles', () => {
  it('every error code the server throws has a Thai and an English title', async () => {
    const files = sources(root);
    // Modules register their own messages when their routes load.
    for (const file of files)
      if (readFileSync(file, 'utf8').includes('registerMessages(')) await import(file);
    const thrown = new Map<string, string>();
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const calls = [
        ...text.matchAll(/AppError(?:\(\s*\d{3}\s*,|\.[a-zA-Z]+\()\s*'([a-z][a-z0-9_-]*\.[a-z0-9_.]+)'/g),
        // The code an office check refuses with (core/auth/offices.ts) is handed in by the caller.
        ...text.matchAll(/ownerOffice\([^;]*?'([a-z][a-z0-9_-]*\.[a-z0-9_.]+)'/gs),
        ...text.matchAll(/mustKeep\([^;]*?'([a-z][a-z0-9_-]*\.[a-z0-9_.]+)'/gs),
      ];
      for (const m of calls) thrown.set(m[1], file.slice(root.length + 1));
    }
    expect(thrown.size).toBeGreaterThan(60);
    const missing = [...thrown]
      .filter(([code]) => !hasMessage(code))
      .map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
    const notThai = [...thrown.keys()].filter((code) => !/[\u0E00-\u0E7F]/.test(t(code, 'th')));
    expect(notThai).toEqual([]);
    const noEnglish = [...thrown.keys()].filter(
      (code) => t(code, 'en') === code || /[\u0E00-\u0E7F]/.test(t(code, 'en')),
    );
    expect(noEnglish).toEqual([]);
  });

  it('each module names itself in Thai and English alike (its locales have the same keys, none empty)', () => {
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    const values = (o: object): unknown[] =>
      Object.values(o).flatMap((v) => (typeof v === 'object' && v !== null ? values(v) : [v]));
    const dirs = ['modules', 'platform'].flatMap((area) =>
      readdirSync(join(root, area), { withFileTypes: true })
        .filter((e) => e.isDirectory() && existsSync(join(root, area, e.name, 'locales', 'en.json')))
        .map((e) => join(root, area, e.name, 'locales')),
    );
    expect(dirs.length).toBeGreaterThan(3);
    for (const dir of dirs) {
      const en = JSON.parse(readFileSync(join(dir, 'en.json'), 'utf8'));
      const th = JSON.parse(readFileSync(join(dir, 'th.json'), 'utf8'));
      expect(keys(th).sort(), dir).toEqual(keys(en).sort());
      expect(
        values(th).filter((v) => typeof v !== 'string' || !/[\u0E00-\u0E7F]/.test(v)),
        dir,
      ).toEqual([]);
    }
  });
});
