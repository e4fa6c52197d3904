import { describe, expect, it } from 'vitest';
import { atomFeed, type CapAlert, capDocument, capTime, escapeXml } from './cap.ts';
import { validateCap } from './cap-check.ts';
import { parseXml } from './xml-check.ts';

const ring: [number, number][] = [
  [16.43, 102.82],
  [16.43, 102.85],
  [16.45, 102.85],
  [16.45, 102.82],
  [16.43, 102.82],
];

const sample = (over: Partial<CapAlert> = {}): CapAlert => ({
  identifier: 'mueang-1f0c-1',
  sender: 'mueang@khonkaen.example',
  sent: new Date('2026-11-25T11:30:00.123Z'),
  status: 'Actual',
  msgType: 'Alert',
  scope: 'Public',
  infos: [
    {
      language: 'th-TH',
      category: ['Env', 'Health'],
      event: 'ฝุ่นละออง PM2.5 เกินมาตรฐาน',
      urgency: 'Expected',
      severity: 'Moderate',
      certainty: 'Observed',
      expires: new Date('2026-11-26T11:30:00Z'),
      senderName: 'เทศบาลนครขอนแก่น',
      headline: 'ค่าฝุ่น PM2.5 สูงในเขตเทศบาล',
      description: 'ค่าเฉลี่ย 24 ชั่วโมง 80 µg/m³ > มาตรฐาน & ควรงดกิจกรรมกลางแจ้ง',
      instruction: 'สวมหน้ากาก N95 เมื่อออกนอกอาคาร',
      areas: [{ areaDesc: 'เขต 1 (ข้อมูลสังเคราะห์)', polygons: [ring] }],
    },
    {
      language: 'en',
      category: ['Env', 'Health'],
      event: 'PM2.5 above the standard',
      urgency: 'Expected',
      severity: 'Moderate',
      certainty: 'Observed',
      headline: 'High PM2.5 in the municipality',
      areas: [{ areaDesc: 'Zone 1 (synthetic)', polygons: [ring] }],
    },
  ],
  ...over,
});

describe('CAP 1.2 document', () => {
  it('is well-formed, in schema order, with CAP values only', () => {
    const xml = capDocument(sample());
    expect(validateCap(xml)).toEqual([]);
    const root = parseXml(xml);
    expect(root.children.map((c) => c.name)).toEqual([
      'identifier',
      'sender',
      'sent',
      'status',
      'msgType',
      'scope',
      'info',
      'info',
    ]);
    expect(root.children[6].children.map((c) => c.name)).toEqual([
      'language',
      'category',
      'category',
      'event',
      'urgency',
      'severity',
      'certainty',
      'expires',
      'senderName',
      'headline',
      'description',
      'instruction',
      'area',
    ]);
  });

  it('writes times in Thai time without fractions or Z', () => {
    expect(capTime(new Date('2026-11-25T11:30:00.999Z'))).toBe('2026-11-25T18:30:00+07:00');
    expect(capTime(new Date('2026-12-31T20:00:00Z'))).toBe('2027-01-01T03:00:00+07:00');
  });

  it('keeps Thai text intact and escapes markup and entities', () => {
    const xml = capDocument(sample());
    const th = parseXml(xml).children[6];
    const text = (n: string) => th.children.find((c) => c.name === n)?.text;
    expect(text('description')).toBe('ค่าเฉลี่ย 24 ชั่วโมง 80 µg/m³ > มาตรฐาน & ควรงดกิจกรรมกลางแจ้ง');
    expect(xml).toContain('&gt; มาตรฐาน &amp; ควร');
    expect(text('event')).toBe('ฝุ่นละออง PM2.5 เกินมาตรฐาน');
  });

  it.each([
    '<script>alert(1)</script>',
    ']]><alert>',
    '"quoted" & \'single\'',
    '&amp; already escaped',
    '</headline></info></alert><alert>',
    'nul\u0000 and bell\u0007 and lone \uD800 surrogate',
  ])('escapes the hostile string %j so the document stays one alert', (evil) => {
    const a = sample();
    a.infos[0].headline = evil;
    a.infos[1].areas[0].areaDesc = evil;
    const xml = capDocument(a);
    expect(validateCap(xml)).toEqual([]);
    const root = parseXml(xml);
    expect(root.children.filter((c) => c.name === 'info')).toHaveLength(2);
    const headline = root.children[6].children.find((c) => c.name === 'headline')!.text;
    expect(headline).toBe(['\u0000', '\u0007', '\uD800'].reduce((s, c) => s.replaceAll(c, ''), evil));
    expect(xml).not.toContain('<script>');
  });

  it('references earlier messages on Update and Cancel, and refuses them without', () => {
    const refs = ['mueang@khonkaen.example,mueang-1f0c-1,2026-11-25T18:30:00+07:00'];
    const xml = capDocument(sample({ msgType: 'Cancel', identifier: 'mueang-1f0c-2', references: refs }));
    expect(validateCap(xml)).toEqual([]);
    expect(parseXml(xml).children.find((c) => c.name === 'references')?.text).toBe(refs[0]);
    expect(() => capDocument(sample({ msgType: 'Update' }))).toThrow(/reference/);
  });

  it('refuses identifiers and senders with spaces, commas or & and polygons that are not closed', () => {
    expect(() => capDocument(sample({ identifier: 'a b' }))).toThrow();
    expect(() => capDocument(sample({ sender: 'x,y' }))).toThrow();
    const open = sample();
    open.infos[0].areas[0].polygons = [ring.slice(0, 4)];
    expect(() => capDocument(open)).toThrow(/closed/);
  });
});

describe('the checker itself fails on bad documents', () => {
  it.each([
    ['unclosed', '<alert><identifier>x</alert>'],
    ['bare ampersand', '<alert>a & b</alert>'],
    ['unknown entity', '<alert>&nbsp;</alert>'],
    ['two roots', '<alert/><alert/>'],
    ['unquoted attribute', '<alert x=1/>'],
    ['duplicate attribute', '<alert x="1" x="2"/>'],
    ['control character', '<alert>\u0001</alert>'],
    ['comment', '<alert><!-- x --></alert>'],
  ])('refuses %s', (_name, xml) => {
    expect(() => parseXml(xml)).toThrow();
  });

  it('finds elements out of order and values outside the enumerations', () => {
    const good = capDocument(sample());
    const swapped = good.replace(
      /<status>Actual<\/status><msgType>Alert<\/msgType>/,
      '<msgType>Alert</msgType><status>Actual</status>',
    );
    expect(validateCap(swapped).join()).toMatch(/out of order|needs at least/);
    expect(
      validateCap(good.replace('<severity>Moderate</severity>', '<severity>High</severity>')).join(),
    ).toMatch(/severity "High"/);
    expect(validateCap(good.replace('+07:00</sent>', 'Z</sent>')).join()).toMatch(/sent/);
  });
});

describe('Atom feed', () => {
  it('is well-formed and links each entry to its CAP document', () => {
    const xml = atomFeed({
      id: 'https://city.example/alerts/cap.atom',
      title: 'Mueang <alerts> & warnings',
      selfUrl: 'https://city.example/alerts/cap.atom?a=1&b=2',
      updated: new Date('2026-11-25T11:30:00Z'),
      entries: [
        {
          id: 'urn:uuid:1f0c',
          title: 'ค่าฝุ่น PM2.5 สูง <b>',
          updated: new Date('2026-11-25T11:30:00Z'),
          summary: 'สรุป & รายละเอียด',
          capUrl: 'https://city.example/alerts/cap/1f0c.xml',
        },
      ],
    });
    const feed = parseXml(xml);
    expect(feed.attrs.xmlns).toBe('http://www.w3.org/2005/Atom');
    expect(feed.children.find((c) => c.name === 'title')?.text).toBe('Mueang <alerts> & warnings');
    const entry = feed.children.find((c) => c.name === 'entry')!;
    expect(entry.children.find((c) => c.name === 'title')?.text).toBe('ค่าฝุ่น PM2.5 สูง <b>');
    expect(entry.children.find((c) => c.name === 'link')?.attrs).toEqual({
      rel: 'alternate',
      type: 'application/cap+xml',
      href: 'https://city.example/alerts/cap/1f0c.xml',
    });
    expect(feed.children.find((c) => c.name === 'link')?.attrs.href).toBe(
      'https://city.example/alerts/cap.atom?a=1&b=2',
    );
  });

  it('escapes with the five entities only', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
});
