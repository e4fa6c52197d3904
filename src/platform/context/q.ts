import { badData, invalid, NgsiError } from './errors.ts';

/** The NGSI-LD query language (ETSI GS CIM 009, 4.9) as a tree; `qsql.ts` turns it into SQL. */
export type Scalar =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'datetime'; value: string };

export type QValue = Scalar | { kind: 'list'; items: Scalar[] } | { kind: 'range'; from: Scalar; to: Scalar };

export type Op = '==' | '!=' | '>' | '>=' | '<' | '<=' | '~=' | '!~=';

export interface AttrRef {
  /** The attribute, then sub-attributes (`attr.sub`). */
  path: string[];
  /** A path inside the attribute's JSON value (`attr[a][b]` or `attr[a.b]`). */
  json: string[];
}

export type QNode =
  | { kind: 'and' | 'or'; items: QNode[] }
  | { kind: 'exists'; attr: AttrRef; negated: boolean }
  | { kind: 'compare'; attr: AttrRef; op: Op; value: QValue }
  | { kind: 'match'; attr: AttrRef; negated: boolean; pattern: string };

export const qLimits = { length: 4000, depth: 8, terms: 40, listItems: 100, pattern: 200 };

const ops: Op[] = ['==', '!=', '>=', '<=', '!~=', '~=', '>', '<'];
const nameChar = /[A-Za-z0-9_:/#@-]/;
const dateTime = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/;
const number = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/;

export function parseQ(text: string): QNode {
  if (text.length > qLimits.length)
    throw new NgsiError('TooComplexQuery', `q is longer than ${qLimits.length}`);
  const p = new Parser(text);
  const node = p.or(0);
  if (!p.done()) p.fail('unexpected character');
  return node;
}

class Parser {
  private i = 0;
  private terms = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  fail(message: string): never {
    throw invalid(`q: ${message} at position ${this.i + 1}: ${this.s.slice(0, 200)}`);
  }

  private peek(n = 0): string {
    return this.s[this.i + n] ?? '';
  }

  or(depth: number): QNode {
    if (depth > qLimits.depth) throw new NgsiError('TooComplexQuery', `q nests deeper than ${qLimits.depth}`);
    const items = [this.and(depth)];
    while (this.peek() === '|') {
      this.i++;
      items.push(this.and(depth));
    }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  private and(depth: number): QNode {
    const items = [this.unary(depth)];
    while (this.peek() === ';') {
      this.i++;
      items.push(this.unary(depth));
    }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  }

  private unary(depth: number): QNode {
    if (this.peek() === '(') {
      this.i++;
      const inner = this.or(depth + 1);
      if (this.peek() !== ')') this.fail('missing )');
      this.i++;
      return inner;
    }
    if (++this.terms > qLimits.terms)
      throw new NgsiError('TooComplexQuery', `q has more than ${qLimits.terms} terms`);
    if (this.peek() === '!' && this.peek(1) !== '=' && this.peek(1) !== '~') {
      this.i++;
      return { kind: 'exists', attr: this.attr(), negated: true };
    }
    const attr = this.attr();
    const op = ops.find((o) => this.s.startsWith(o, this.i));
    if (!op) {
      const c = this.peek();
      if (c === '' || c === ';' || c === '|' || c === ')') return { kind: 'exists', attr, negated: false };
      this.fail('expected an operator');
    }
    this.i += op.length;
    if (op === '~=' || op === '!~=')
      return { kind: 'match', attr, negated: op === '!~=', pattern: this.pattern() };
    const first = this.scalar();
    if (this.s.startsWith('..', this.i)) {
      if (op !== '==' && op !== '!=') this.fail('a range needs == or !=');
      this.i += 2;
      return { kind: 'compare', attr, op, value: { kind: 'range', from: first, to: this.scalar() } };
    }
    if (this.peek() === ',') {
      if (op !== '==' && op !== '!=') this.fail('a list needs == or !=');
      const items = [first];
      while (this.peek() === ',') {
        this.i++;
        items.push(this.scalar());
        if (items.length > qLimits.listItems)
          throw new NgsiError('TooComplexQuery', `a q list has more than ${qLimits.listItems} values`);
      }
      return { kind: 'compare', attr, op, value: { kind: 'list', items } };
    }
    return { kind: 'compare', attr, op, value: first };
  }

  private name(): string {
    const start = this.i;
    while (nameChar.test(this.peek())) this.i++;
    if (this.i === start) this.fail('expected an attribute name');
    return this.s.slice(start, this.i);
  }

  private attr(): AttrRef {
    const path = [this.name()];
    while (this.peek() === '.') {
      this.i++;
      path.push(this.name());
    }
    const json: string[] = [];
    while (this.peek() === '[') {
      this.i++;
      json.push(this.name());
      while (this.peek() === '.') {
        this.i++;
        json.push(this.name());
      }
      if (this.peek() !== ']') this.fail('missing ]');
      this.i++;
    }
    return { path, json };
  }

  private scalar(): Scalar {
    const rest = this.s.slice(this.i);
    if (rest.startsWith('"')) return { kind: 'string', value: this.quoted() };
    const dt = dateTime.exec(rest);
    if (dt) {
      if (Number.isNaN(Date.parse(dt[0]))) this.fail('invalid date');
      this.i += dt[0].length;
      return { kind: 'datetime', value: dt[0] };
    }
    const n = number.exec(rest);
    if (n && !nameChar.test(rest[n[0].length] ?? '')) {
      this.i += n[0].length;
      return { kind: 'number', value: Number(n[0]) };
    }
    for (const b of ['true', 'false']) {
      if (rest.startsWith(b) && !nameChar.test(rest[b.length] ?? '')) {
        this.i += b.length;
        return { kind: 'boolean', value: b === 'true' };
      }
    }
    // An unquoted URI or word (e.g. a Relationship's object `urn:ngsi-ld:Device:kk-1`).
    const start = this.i;
    while (this.i < this.s.length && !/[;|),"'\s]/.test(this.peek()) && !this.s.startsWith('..', this.i))
      this.i++;
    if (this.i === start) this.fail('expected a value');
    const word = this.s.slice(start, this.i);
    if (/[<>=!~[\]()]/.test(word)) this.fail('unexpected character in value');
    return { kind: 'string', value: word };
  }

  private quoted(): string {
    let out = '';
    this.i++;
    for (;;) {
      const c = this.peek();
      if (c === '') this.fail('unterminated string');
      this.i++;
      if (c === '"') return out;
      if (c === '\\') {
        out += this.peek();
        this.i++;
      } else out += c;
    }
  }

  private pattern(): string {
    const start = this.i;
    let depth = 0;
    while (this.i < this.s.length) {
      const c = this.peek();
      if (c === '\\') {
        this.i += 2;
        continue;
      }
      if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0) break;
        depth--;
      } else if ((c === ';' || c === '|') && depth === 0) break;
      this.i++;
    }
    const pattern = this.s.slice(start, this.i);
    if (!pattern) this.fail('expected a pattern');
    if (pattern.length > qLimits.pattern) throw new NgsiError('TooComplexQuery', 'the pattern is too long');
    return checkPattern(pattern);
  }
}

/** Rejects patterns PostgreSQL's engine might struggle with: nested quantifiers and backreferences. */
export function checkPattern(pattern: string): string {
  if (pattern.length > qLimits.pattern) throw new NgsiError('TooComplexQuery', 'the pattern is too long');
  if (/\([^)]*[+*}][^)]*\)\s*[+*{]/.test(pattern) || /\\[1-9]/.test(pattern))
    throw new NgsiError(
      'TooComplexQuery',
      'nested quantifiers and backreferences are not allowed in patterns',
    );
  try {
    new RegExp(pattern);
  } catch {
    throw badData(`invalid pattern: ${pattern}`);
  }
  return pattern;
}
