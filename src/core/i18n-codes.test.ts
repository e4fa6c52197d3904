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

  it('every detail and field message written with msg() has a Thai and an English text, with the same placeholders', async () => {
    const files = sources(root);
    for (const file of files)
      if (readFileSync(file, 'utf8').includes('registerMessages(')) await import(file);
    const used = new Map<string, string>();
    for (const file of files) {
      // The key, or each key of a conditional, before the parameters' object.
      for (const call of readFileSync(file, 'utf8').matchAll(/\bmsg\(([^{)]*)/g))
        for (const key of call[1].matchAll(/'([a-z][a-z0-9_-]*\.[a-z0-9_.]+)'/g))
          used.set(key[1], file.slice(root.length + 1));
    }
    expect(used.size).toBeGreaterThan(50);
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const wrong = [...used]
      .filter(([key]) => {
        const th = t(key, 'th');
        const en = t(key, 'en');
        return (
          !hasMessage(key) ||
          !/[\u0E00-\u0E7F]/.test(th) ||
          /[\u0E00-\u0E7F]/.test(en) ||
          placeholders(th).join() !== placeholders(en).join()
        );
      })
      .map(([key, file]) => `${key} (${file})`);
    expect(wrong).toEqual([]);
  });

  it("the web app's own problem titles (problems.<code>) say what the server's do", () => {
    const web = (lang: 'th' | 'en') =>
      JSON.parse(readFileSync(join(root, '..', 'web', 'src', 'locales', `${lang}.json`), 'utf8'))
        .problems as Record<string, Record<string, string>>;
    for (const lang of ['th', 'en'] as const) {
      const titles = Object.entries(web(lang)).flatMap(([area, codes]) =>
        Object.entries(codes).map(([code, title]) => [`${area}.${code}`, title]),
      );
      expect(titles.length).toBeGreaterThan(10);
      for (const [code, title] of titles) {
        expect(hasMessage(code), code).toBe(true);
        expect(title, `${lang} ${code}`).toBe(t(code, lang));
      }
    }
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
