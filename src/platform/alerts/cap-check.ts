/** Test support: checks a CAP 1.2 document against the schema's sequences and enumerations. */
import {
  capCategory,
  capCertainty,
  capMsgType,
  capNamespace,
  capScope,
  capSeverity,
  capStatus,
  capUrgency,
} from './cap.ts';
import { checkSequence, parseXml, type Slot, type XmlElement } from './xml-check.ts';

// The CAP 1.2 schema's sequences (CAP-v1.2-os, the xs:sequence of alert, info and area).
const ALERT: Slot[] = [
  ['identifier', 1, 1],
  ['sender', 1, 1],
  ['sent', 1, 1],
  ['status', 1, 1],
  ['msgType', 1, 1],
  ['source', 0, 1],
  ['scope', 1, 1],
  ['restriction', 0, 1],
  ['addresses', 0, 1],
  ['code', 0, 99],
  ['note', 0, 1],
  ['references', 0, 1],
  ['incidents', 0, 1],
  ['info', 0, 99],
];
const INFO: Slot[] = [
  ['language', 0, 1],
  ['category', 1, 99],
  ['event', 1, 1],
  ['responseType', 0, 99],
  ['urgency', 1, 1],
  ['severity', 1, 1],
  ['certainty', 1, 1],
  ['audience', 0, 1],
  ['eventCode', 0, 99],
  ['effective', 0, 1],
  ['onset', 0, 1],
  ['expires', 0, 1],
  ['senderName', 0, 1],
  ['headline', 0, 1],
  ['description', 0, 1],
  ['instruction', 0, 1],
  ['web', 0, 1],
  ['contact', 0, 1],
  ['parameter', 0, 99],
  ['resource', 0, 99],
  ['area', 0, 99],
];
const AREA: Slot[] = [
  ['areaDesc', 1, 1],
  ['polygon', 0, 99],
  ['circle', 0, 99],
  ['geocode', 0, 99],
  ['altitude', 0, 1],
  ['ceiling', 0, 1],
];
const capDateTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$/;

/** Everything we can check of a CAP 1.2 document without the XSD: returns the problems found. */
export function validateCap(xml: string): string[] {
  const root = parseXml(xml);
  const problems: string[] = [];
  if (root.name !== 'alert') problems.push('root is not <alert>');
  if (root.attrs.xmlns !== capNamespace) problems.push('wrong namespace');
  problems.push(...checkSequence(root, ALERT));
  const one = (e: XmlElement, name: string) => e.children.find((c) => c.name === name)?.text ?? '';
  const inEnum = (value: string, values: readonly string[], what: string) => {
    if (!values.includes(value)) problems.push(`${what} "${value}" is not a CAP value`);
  };
  inEnum(one(root, 'status'), capStatus, 'status');
  inEnum(one(root, 'msgType'), capMsgType, 'msgType');
  inEnum(one(root, 'scope'), capScope, 'scope');
  if (!capDateTime.test(one(root, 'sent'))) problems.push('sent is not a CAP dateTime');
  for (const name of ['identifier', 'sender'])
    if (/[\s,<&]/.test(one(root, name)) || !one(root, name))
      problems.push(`${name} has forbidden characters`);
  for (const info of root.children.filter((c) => c.name === 'info')) {
    problems.push(...checkSequence(info, INFO));
    for (const c of info.children.filter((x) => x.name === 'category'))
      inEnum(c.text, capCategory, 'category');
    inEnum(one(info, 'urgency'), capUrgency, 'urgency');
    inEnum(one(info, 'severity'), capSeverity, 'severity');
    inEnum(one(info, 'certainty'), capCertainty, 'certainty');
    const expires = one(info, 'expires');
    if (expires && !capDateTime.test(expires)) problems.push('expires is not a CAP dateTime');
    for (const area of info.children.filter((x) => x.name === 'area')) {
      problems.push(...checkSequence(area, AREA));
      for (const p of area.children.filter((x) => x.name === 'polygon')) {
        const pairs = p.text.split(' ');
        if (pairs.length < 4 || pairs[0] !== pairs[pairs.length - 1])
          problems.push('polygon not closed or too short');
        for (const pair of pairs) {
          const [lat, lon] = pair.split(',').map(Number);
          if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) problems.push(`bad coordinate pair ${pair}`);
        }
      }
    }
  }
  return problems;
}
