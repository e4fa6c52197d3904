/**
 * OASIS Common Alerting Protocol 1.2 (CAP-v1.2-os, 2010) documents and their Atom feed, built by hand.
 * Pure: no I/O. Element order follows the schema's sequences (namespace
 * urn:oasis:names:tc:emergency:cap:1.2):
 *   alert: identifier, sender, sent, status, msgType, source?, scope, restriction?, addresses?, code*,
 *          note?, references?, incidents?, info*
 *   info:  language?, category+, event, responseType*, urgency, severity, certainty, audience?,
 *          eventCode*, effective?, onset?, expires?, senderName?, headline?, description?,
 *          instruction?, web?, contact?, parameter*, resource*, area*
 *   area:  areaDesc, polygon*, circle*, geocode*, altitude?, ceiling?
 * Times are CAP dateTime: no fractional seconds and an explicit offset (never "Z"); we write Thai
 * time, +07:00. A polygon is at least four "lat,lon" pairs (WGS 84), first and last equal.
 */

export const capStatus = ['Actual', 'Exercise', 'System', 'Test', 'Draft'] as const;
export const capMsgType = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'] as const;
export const capScope = ['Public', 'Restricted', 'Private'] as const;
export const capCategory = [
  'Geo',
  'Met',
  'Safety',
  'Security',
  'Rescue',
  'Fire',
  'Health',
  'Env',
  'Transport',
  'Infra',
  'CBRNE',
  'Other',
] as const;
export const capUrgency = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const;
export const capSeverity = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
export const capCertainty = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const;

export const capNamespace = 'urn:oasis:names:tc:emergency:cap:1.2';

/** A ring of [lat, lon] pairs, closed (first = last). */
export type Ring = [number, number][];

export interface CapArea {
  areaDesc: string;
  polygons: Ring[];
}

export interface CapInfo {
  language: string;
  category: (typeof capCategory)[number][];
  event: string;
  urgency: (typeof capUrgency)[number];
  severity: (typeof capSeverity)[number];
  certainty: (typeof capCertainty)[number];
  expires?: Date | null;
  senderName?: string;
  headline?: string;
  description?: string;
  instruction?: string;
  web?: string;
  areas: CapArea[];
}

export interface CapAlert {
  identifier: string;
  sender: string;
  sent: Date;
  status: (typeof capStatus)[number];
  msgType: (typeof capMsgType)[number];
  scope: (typeof capScope)[number];
  note?: string;
  /** Earlier messages, each "sender,identifier,sent". */
  references?: string[];
  infos: CapInfo[];
}

// Characters XML 1.0 does not allow at all (C0 controls but tab/LF/CR, U+FFFE/FFFF, lone surrogates).
const notXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text or attribute content: drops characters XML cannot carry and escapes the five specials. */
export function escapeXml(text: string): string {
  return text.replace(notXmlChar, '').replace(/[&<>"']/g, (c) => `&${entity[c]};`);
}
const entity: Record<string, string> = { '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' };

/** CAP dateTime in Thai time: 2026-11-25T18:30:00+07:00. */
export function capTime(at: Date): string {
  const local = new Date(Math.floor(at.getTime() / 1000) * 1000 + 7 * 3600_000);
  return `${local.toISOString().slice(0, 19)}+07:00`;
}

/** CAP identifiers and senders must not contain spaces, commas, '<' or '&'. */
export function capToken(value: string): string {
  if (!/^[^\s,<&]+$/.test(value)) throw new Error(`"${value}" is not a valid CAP identifier or sender`);
  return value;
}

const coord = (n: number) => String(Math.round(n * 1e6) / 1e6);

export function capPolygon(ring: Ring): string {
  if (ring.length < 4) throw new Error('a CAP polygon needs at least four points');
  const [first, last] = [ring[0], ring[ring.length - 1]];
  if (first[0] !== last[0] || first[1] !== last[1]) throw new Error('a CAP polygon must be closed');
  return ring.map(([lat, lon]) => `${coord(lat)},${coord(lon)}`).join(' ');
}

const el = (name: string, text: string) => `<${name}>${escapeXml(text)}</${name}>`;
const opt = (name: string, text: string | undefined | null) => (text ? el(name, text) : '');

function info(i: CapInfo): string {
  return [
    '<info>',
    el('language', i.language),
    ...i.category.map((c) => el('category', c)),
    el('event', i.event),
    el('urgency', i.urgency),
    el('severity', i.severity),
    el('certainty', i.certainty),
    i.expires ? el('expires', capTime(i.expires)) : '',
    opt('senderName', i.senderName),
    opt('headline', i.headline),
    opt('description', i.description),
    opt('instruction', i.instruction),
    opt('web', i.web),
    ...i.areas.map((a) =>
      [
        '<area>',
        el('areaDesc', a.areaDesc),
        ...a.polygons.map((p) => el('polygon', capPolygon(p))),
        '</area>',
      ].join(''),
    ),
    '</info>',
  ].join('');
}

/** One CAP 1.2 alert message as an XML document (UTF-8). */
export function capDocument(a: CapAlert): string {
  if (a.msgType !== 'Alert' && !a.references?.length)
    throw new Error(`a CAP ${a.msgType} must reference the messages it updates or cancels`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    `<alert xmlns="${capNamespace}">`,
    el('identifier', capToken(a.identifier)),
    el('sender', capToken(a.sender)),
    el('sent', capTime(a.sent)),
    el('status', a.status),
    el('msgType', a.msgType),
    el('scope', a.scope),
    opt('note', a.note),
    a.references?.length ? el('references', a.references.join(' ')) : '',
    ...a.infos.map(info),
    '</alert>\n',
  ].join('');
}

export interface FeedEntry {
  id: string;
  title: string;
  updated: Date;
  summary: string;
  capUrl: string;
}

/** An Atom (RFC 4287) feed whose entries link to the CAP documents, as alert hubs read them. */
export function atomFeed(feed: {
  id: string;
  title: string;
  selfUrl: string;
  updated: Date;
  entries: FeedEntry[];
}): string {
  const iso = (d: Date) => capTime(d);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    el('id', feed.id),
    el('title', feed.title),
    el('updated', iso(feed.updated)),
    `<link rel="self" type="application/atom+xml" href="${escapeXml(feed.selfUrl)}"/>`,
    `<author>${el('name', feed.title)}</author>`,
    ...feed.entries.map((e) =>
      [
        '<entry>',
        el('id', e.id),
        el('title', e.title),
        el('updated', iso(e.updated)),
        `<link rel="alternate" type="application/cap+xml" href="${escapeXml(e.capUrl)}"/>`,
        `<summary>${escapeXml(e.summary)}</summary>`,
        '</entry>',
      ].join(''),
    ),
    '</feed>\n',
  ].join('');
}
