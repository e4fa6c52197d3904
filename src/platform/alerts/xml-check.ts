/**
 * A small, strict XML reader for tests: well-formedness (one root, matched tags, quoted unique
 * attributes, only the five predefined or numeric entities, no stray '<' or '&', only XML 1.0
 * characters) and a tree to check the CAP schema's sequences against. It refuses what our documents
 * never contain (DOCTYPE, comments, CDATA, processing instructions other than the declaration).
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The decoded text directly inside this element (children's text excluded). */
  text: string;
}

const nameChar = /[A-Za-z0-9_.:-]/;
const badChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function parseXml(xml: string): XmlElement {
  if (badChar.test(xml)) throw new Error('character not allowed in XML 1.0');
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} at offset ${i}: ${JSON.stringify(xml.slice(i, i + 30))}`);
  };
  const space = () => {
    while (i < xml.length && /\s/.test(xml[i])) i++;
  };
  const name = () => {
    const start = i;
    if (!/[A-Za-z_:]/.test(xml[i] ?? '')) fail('name expected');
    while (i < xml.length && nameChar.test(xml[i])) i++;
    return xml.slice(start, i);
  };
  const decode = (raw: string): string =>
    raw.replace(/&([^;]*);?/g, (m, ref: string) => {
      if (!m.endsWith(';')) fail('unterminated entity');
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      if (ref in named) return named[ref];
      if (/^#[0-9]+$/.test(ref)) return String.fromCodePoint(Number(ref.slice(1)));
      if (/^#x[0-9a-fA-F]+$/.test(ref)) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
      return fail(`unknown entity &${ref};`);
    });

  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) fail('unterminated XML declaration');
    const decl = xml.slice(0, end + 2);
    if (!/^<\?xml version="1\.0"( encoding="UTF-8")?\?>$/.test(decl)) fail('unexpected XML declaration');
    i = end + 2;
  }
  space();

  const element = (): XmlElement => {
    if (xml[i] !== '<') fail('element expected');
    i++;
    const tag = name();
    const attrs: Record<string, string> = {};
    for (;;) {
      const before = i;
      space();
      if (xml.startsWith('/>', i)) {
        i += 2;
        return { name: tag, attrs, children: [], text: '' };
      }
      if (xml[i] === '>') {
        i++;
        break;
      }
      if (i === before) fail('space expected before an attribute');
      const attr = name();
      if (attr in attrs) fail(`duplicate attribute ${attr}`);
      space();
      if (xml[i] !== '=') fail('= expected');
      i++;
      space();
      const quote = xml[i];
      if (quote !== '"' && quote !== "'") fail('quoted attribute value expected');
      const end = xml.indexOf(quote, i + 1);
      if (end < 0) fail('unterminated attribute');
      const raw = xml.slice(i + 1, end);
      if (raw.includes('<')) fail("'<' in an attribute value");
      attrs[attr] = decode(raw);
      i = end + 1;
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      if (i >= xml.length) fail(`<${tag}> is not closed`);
      if (xml.startsWith('</', i)) {
        i += 2;
        const closing = name();
        if (closing !== tag) fail(`</${closing}> closes <${tag}>`);
        space();
        if (xml[i] !== '>') fail('> expected');
        i++;
        return { name: tag, attrs, children, text };
      }
      if (xml.startsWith('<!', i) || xml.startsWith('<?', i))
        fail('comments, CDATA, DOCTYPE and PIs are refused');
      if (xml[i] === '<') {
        children.push(element());
        continue;
      }
      const next = xml.indexOf('<', i);
      const raw = xml.slice(i, next < 0 ? xml.length : next);
      if (raw.includes(']]>')) fail("']]>' in text");
      text += decode(raw);
      i += raw.length;
    }
  };

  const root = element();
  space();
  if (i !== xml.length) fail('content after the root element');
  return root;
}

/** One slot of an xs:sequence: element name and how often it may occur. */
export type Slot = [name: string, min: number, max: number];

/** Checks that `el`'s children follow the sequence exactly (order and counts); returns problems. */
export function checkSequence(el: XmlElement, sequence: Slot[]): string[] {
  const problems: string[] = [];
  let k = 0;
  for (const [name, min, max] of sequence) {
    let n = 0;
    while (k < el.children.length && el.children[k].name === name) {
      n++;
      k++;
    }
    if (n < min) problems.push(`<${el.name}> needs at least ${min} <${name}>, has ${n} here`);
    if (n > max) problems.push(`<${el.name}> allows at most ${max} <${name}>, has ${n}`);
  }
  if (k < el.children.length)
    problems.push(`<${el.name}>: <${el.children[k].name}> is unexpected or out of order`);
  return problems;
}
