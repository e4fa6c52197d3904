/** Hand-built XML for Open311 (no dependency): every text escaped, characters XML 1.0 forbids replaced. */

export type XmlValue = string | number | boolean | null | undefined | XmlNode | XmlNode[];
export interface XmlNode {
  name: string;
  children: XmlValue;
}

/** Characters XML 1.0 allows (a lone surrogate or a control character does not survive a parser). */
function allowed(c: number): boolean {
  return (
    c === 0x9 ||
    c === 0xa ||
    c === 0xd ||
    (c >= 0x20 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd) ||
    c >= 0x10000
  );
}

function clean(text: string): string {
  let out = '';
  for (const ch of text) out += allowed(ch.codePointAt(0)!) ? ch : '\uFFFD';
  return out;
}

export function escapeXml(text: string): string {
  return clean(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export const el = (name: string, children: XmlValue = null): XmlNode => ({ name, children });

function render(v: XmlValue): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(render).join('');
  if (typeof v === 'object') {
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(v.name)) throw new Error(`bad element name ${v.name}`);
    const inner = render(v.children);
    return inner === '' ? `<${v.name}/>` : `<${v.name}>${inner}</${v.name}>`;
  }
  return escapeXml(String(v));
}

/** A whole document: the declaration Open311 asks for (UTF-8) and one root element. */
export function xmlDocument(root: XmlNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${render(root)}`;
}

/** A flat record as child elements, in its key order; nested arrays of records become repeated elements. */
export function record(name: string, fields: Record<string, unknown>): XmlNode {
  return el(
    name,
    Object.entries(fields).map(([k, v]) => el(k, v === null || v === undefined ? null : (v as XmlValue))),
  );
}
