import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import type { NgsiError } from './errors.ts';
import { activeContext } from './jsonld.ts';
import { parseQ, type QNode } from './q.ts';
import { qToSql } from './qsql.ts';
import { compileQuery } from './query.ts';

const problem = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as NgsiError).problem;
  }
  return 'no error';
};

describe('the q parser', () => {
  it('parses comparisons of every kind of value', () => {
    expect(parseQ('temperature>20.5')).toEqual({
      kind: 'compare',
      attr: { path: ['temperature'], json: [] },
      op: '>',
      value: { kind: 'number', value: 20.5 },
    });
    expect(parseQ('status=="ok"')).toMatchObject({ value: { kind: 'string', value: 'ok' } });
    expect(parseQ('on==true')).toMatchObject({ value: { kind: 'boolean', value: true } });
    expect(parseQ('dateObserved>=2024-01-01T00:00:00Z')).toMatchObject({
      op: '>=',
      value: { kind: 'datetime', value: '2024-01-01T00:00:00Z' },
    });
    expect(parseQ('refDevice==urn:ngsi-ld:Device:kk-1')).toMatchObject({
      value: { kind: 'string', value: 'urn:ngsi-ld:Device:kk-1' },
    });
    expect(parseQ('n==-3e2')).toMatchObject({ value: { kind: 'number', value: -300 } });
  });

  it('parses ranges, lists, sub-attributes and JSON paths', () => {
    expect(parseQ('pm25==10..35.5')).toMatchObject({
      value: { kind: 'range', from: { value: 10 }, to: { value: 35.5 } },
    });
    expect(parseQ('d==2024-01-01..2024-02-01')).toMatchObject({
      value: { kind: 'range', from: { kind: 'datetime' }, to: { kind: 'datetime' } },
    });
    expect(parseQ('level=="low","moderate"')).toMatchObject({
      value: { kind: 'list', items: [{ value: 'low' }, { value: 'moderate' }] },
    });
    expect(parseQ('temperature.observedAt>2024-01-01')).toMatchObject({
      attr: { path: ['temperature', 'observedAt'], json: [] },
    });
    expect(parseQ('address[addressLocality]=="Khon Kaen"')).toMatchObject({
      attr: { path: ['address'], json: ['addressLocality'] },
    });
    expect(parseQ('info[a][b.c]==1')).toMatchObject({ attr: { json: ['a', 'b', 'c'] } });
  });

  it('gives ; precedence over | and honours parentheses', () => {
    const n = parseQ('a==1|b==2;c==3') as { kind: string; items: QNode[] };
    expect(n.kind).toBe('or');
    expect(n.items[1].kind).toBe('and');
    const p = parseQ('(a==1|b==2);c') as { kind: string; items: QNode[] };
    expect(p.kind).toBe('and');
    expect(p.items[0].kind).toBe('or');
    expect(p.items[1]).toMatchObject({ kind: 'exists', negated: false });
    expect(parseQ('!a')).toMatchObject({ kind: 'exists', negated: true });
  });

  it('parses patterns up to the next term', () => {
    expect(parseQ('name~=^Khon(.*)Kaen$;b==1')).toMatchObject({
      kind: 'and',
      items: [{ kind: 'match', pattern: '^Khon(.*)Kaen$', negated: false }, { kind: 'compare' }],
    });
    expect(parseQ('name!~=x')).toMatchObject({ kind: 'match', negated: true });
  });

  it.each([
    'temperature>>20',
    'a==',
    '(a==1',
    'a==1)',
    'a>1..2',
    'a<1,2',
    '==3',
    'a==1;',
    'a["x"]==1',
    'a[x==1',
    'a=="unterminated',
    'a==1 OR b==2',
    'a==2024-13-45',
  ])('refuses %s as InvalidRequest', (q) => {
    expect(problem(() => parseQ(q))).toBe('InvalidRequest');
  });

  it('answers TooComplexQuery beyond its limits', () => {
    expect(problem(() => parseQ(`${'('.repeat(12)}a==1${')'.repeat(12)}`))).toBe('TooComplexQuery');
    expect(problem(() => parseQ(Array.from({ length: 50 }, (_, i) => `a${i}==1`).join(';')))).toBe(
      'TooComplexQuery',
    );
    expect(problem(() => parseQ(`a==${Array.from({ length: 200 }, (_, i) => i).join(',')}`))).toBe(
      'TooComplexQuery',
    );
    expect(problem(() => parseQ('a~=(x+)+y'))).toBe('TooComplexQuery');
    expect(problem(() => parseQ(`a==${'1'.repeat(5000)}`))).toBe('TooComplexQuery');
  });

  it('becomes SQL with every value and path as a parameter', () => {
    const ctx = activeContext(undefined);
    const q = parseQ('temperature>20;name=="x\'); DROP TABLE ctx_entities; --"|address[city]~=^K');
    const { sql, params } = new PgDialect().sqlToQuery(qToSql(q, ctx, true));
    expect(sql).not.toContain('DROP');
    expect(sql).not.toContain('temperature');
    expect(params).toContain('https://uri.etsi.org/ngsi-ld/default-context/temperature');
    expect(params).toContain('"x\'); DROP TABLE ctx_entities; --"');
    expect(params).toContain('^K');
    expect(params).toContain('city');
  });
});

describe('compiled queries kept per context', () => {
  const dialect = new PgDialect();
  const params = (where: Parameters<PgDialect['sqlToQuery']>[0]) => dialect.sqlToQuery(where).params;
  it('reuses the compiled query for the same parameters, context and caller', () => {
    const ctx = activeContext({ level: 'https://example.org/kept/level' });
    const p = { type: 'Lamp', q: 'level>3' };
    const c = compileQuery(p, ctx, true);
    expect(compileQuery({ ...p }, ctx, true)).toBe(c);
    expect(params(c.where)).toContain('https://example.org/kept/level');
    // Another caller kind, other parameters or another context compile anew, with their own meaning.
    const staff = compileQuery(p, ctx, false);
    expect(staff).not.toBe(c);
    expect(staff.render.anonymous).toBe(false);
    expect(compileQuery({ ...p, q: 'level>4' }, ctx, true)).not.toBe(c);
    const other = compileQuery(p, activeContext({ level: 'https://example.org/other/level' }), true);
    expect(params(other.where)).toContain('https://example.org/other/level');
    expect(params(other.where)).not.toContain('https://example.org/kept/level');
  });

  it('keeps no failure: a bad query is refused every time', () => {
    const ctx = activeContext(undefined);
    for (let i = 0; i < 2; i++) expect(() => compileQuery({ q: 'level>' }, ctx, true)).toThrow();
  });
});
