import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from './en.json' with { type: 'json' };
import th from './th.json' with { type: 'json' };

/** Every key of a nested message object, as `a.b.c`. */
function keys(messages: object, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : /\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

describe('locales', () => {
  it('Thai and English have the same keys', () => {
    expect(keys(en).sort()).toEqual(keys(th).sort());
  });

  it('every literal key the code asks for exists, and no Thai message is left empty', () => {
    const known = new Set(keys(th));
    const used = sources(join(import.meta.dirname, '..')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)].map((m) => m[1]),
    );
    expect(used.length).toBeGreaterThan(50);
    // A key asked with a count is found by i18next as key_one / key_other (key_other in Thai, which
    // has one plural form), so key_other counts as the key.
    expect(used.filter((k) => !known.has(k) && !known.has(`${k}_other`))).toEqual([]);
    // Message keys the form checks hand over (see forms/signup.ts), including the ID check's reasons.
    const formKeys = [
      ...readFileSync(join(import.meta.dirname, '../forms/signup.ts'), 'utf8').matchAll(
        /'(form\.errors\.[a-zA-Z.]+)'/g,
      ),
    ];
    expect(formKeys.map((m) => m[1]).filter((k) => !known.has(k))).toEqual([]);
    for (const reason of ['characters', 'length', 'checkDigit'])
      expect(known).toContain(`form.errors.nationalId.${reason}`);
    const flat = (o: object): unknown[] =>
      Object.values(o).flatMap((v) => (typeof v === 'object' ? flat(v) : [v]));
    expect(flat(th).filter((v) => typeof v !== 'string' || v.trim() === '')).toEqual([]);
  });
});
