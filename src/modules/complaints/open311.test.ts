import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../core/audit/audit.ts';
import type { Principal } from '../../core/auth/roles.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { ComplaintsModeration } from './moderation.ts';
import { complaintsModule } from './module.ts';
import { w3c } from './open311.ts';
import { demoOpen311Key } from './seed.ts';
import { ComplaintsService } from './service.ts';
import { escapeXml } from './xml.ts';

interface XNode {
  name: string;
  children: XNode[];
  text: string;
}

/**
 * A strict little XML reader for the tests: the UTF-8 declaration, one root, every element closed in
 * order, only the five named entities and character references, no character XML 1.0 forbids.
 */
function parseXml(doc: string): XNode {
  const decl = '<?xml version="1.0" encoding="UTF-8"?>';
  if (!doc.startsWith(decl)) throw new Error('no XML declaration');
  for (const ch of doc) {
    const c = ch.codePointAt(0)!;
    const ok =
      c === 9 ||
      c === 10 ||
      c === 13 ||
      (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) ||
      c >= 0x10000;
    if (!ok) throw new Error(`forbidden character U+${c.toString(16)}`);
  }
  let i = decl.length;
  const ws = () => {
    while (/\s/.test(doc[i] ?? '')) i++;
  };
  const name = () => {
    const m = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(doc.slice(i));
    if (!m) throw new Error(`element name expected at ${i}`);
    i += m[0].length;
    return m[0];
  };
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  const decode = (text: string) =>
    text.replace(/&([^;]*);?/g, (whole, ref: string) => {
      if (!whole.endsWith(';')) throw new Error(`bare & in "${text}"`);
      if (ref in entities) return entities[ref];
      if (/^#[0-9]+$/.test(ref)) return String.fromCodePoint(Number(ref.slice(1)));
      if (/^#x[0-9a-fA-F]+$/.test(ref)) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
      throw new Error(`unknown entity &${ref};`);
    });
  const element = (): XNode => {
    if (doc[i] !== '<') throw new Error(`< expected at ${i}`);
    i++;
    const node: XNode = { name: name(), children: [], text: '' };
    ws();
    if (doc.startsWith('/>', i)) {
      i += 2;
      return node;
    }
    if (doc[i] !== '>') throw new Error(`> expected at ${i}`);
    i++;
    for (;;) {
      if (i >= doc.length) throw new Error(`<${node.name}> is not closed`);
      if (doc.startsWith('</', i)) {
        i += 2;
        const closing = name();
        if (closing !== node.name) throw new Error(`</${closing}> closes <${node.name}>`);
        ws();
        if (doc[i] !== '>') throw new Error(`> expected at ${i}`);
        i++;
        return node;
      }
      if (doc[i] === '<') node.children.push(element());
      else {
        const end = doc.indexOf('<', i);
        const raw = doc.slice(i, end < 0 ? doc.length : end);
        if (raw.includes('>')) throw new Error('raw > in text');
        node.text += decode(raw);
        i += raw.length;
      }
    }
  };
  ws();
  const root = element();
  ws();
  if (i !== doc.length) throw new Error('content after the root element');
  return root;
}

const child = (n: XNode, name: string) => n.children.find((c) => c.name === name);
const textOf = (n: XNode, name: string) => child(n, name)?.text;

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ modules: [complaintsModule] });
});
afterAll(() => t?.close());

const base = '/open311/v2';
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const post = (format: 'json' | 'xml', fields: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url: `${base}/requests.${format}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(fields),
  });
const valid = {
  api_key: demoOpen311Key,
  service_code: 'street-light',
  lat: '16.441',
  long: '102.851',
  description: 'ไฟดับหน้าบ้าน',
  email: 'integrator-user@example.org',
  first_name: 'Somchai',
  last_name: 'Jaidee',
};

describe('the self-test parser', () => {
  it('accepts what it should and refuses broken XML', () => {
    expect(
      parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a><b>x &amp; y</b><c/></a>').children,
    ).toHaveLength(2);
    for (const bad of [
      '<a><b></a></b>',
      '<a>x & y</a>',
      '<a>x</a><b/>',
      '<a>',
      '<a>\u0001</a>',
      '<a>&foo;</a>',
    ])
      expect(() => parseXml(`<?xml version="1.0" encoding="UTF-8"?>\n${bad}`)).toThrow();
    expect(() => parseXml('<a/>')).toThrow('declaration');
  });

  it('formats W3C dates in Thai time to the second, across midnight, month and year ends', () => {
    const cases: [string, string][] = [
      ['2026-03-01T17:30:05.250Z', '2026-03-02T00:30:05+07:00'],
      ['2026-03-01T16:59:59.999Z', '2026-03-01T23:59:59+07:00'],
      ['2026-03-01T17:00:00.000Z', '2026-03-02T00:00:00+07:00'],
      ['2026-12-31T17:00:00.000Z', '2027-01-01T00:00:00+07:00'],
      ['2028-02-28T17:09:07.000Z', '2028-02-29T00:09:07+07:00'],
      ['2026-11-25T02:30:00.000Z', '2026-11-25T09:30:00+07:00'],
    ];
    for (const [utc, thai] of cases) {
      expect(w3c(Date.parse(utc))).toBe(thai);
      expect(w3c(utc)).toBe(thai);
    }
  });

  it('escapes the five characters and replaces what XML forbids', () => {
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
    expect(escapeXml('a\u0000b\uD800c')).toBe('a\uFFFDb\uFFFDc');
    expect(escapeXml('ไทย 🐘')).toBe('ไทย 🐘');
  });
});

describe('discovery and services', () => {
  it('serves discovery in JSON and XML', async () => {
    const json = await t.json({ method: 'GET', url: '/open311/discovery.json' });
    expect(json.status).toBe(200);
    expect(json.body.endpoints[0]).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      type: 'production',
      formats: ['text/xml', 'application/json'],
    });
    expect(json.body.endpoints[0].url).toMatch(/\/open311\/v2$/);
    expect(json.body.changeset).toMatch(/\+07:00$/);
    const xml = await t.app.inject({ method: 'GET', url: '/open311/discovery.xml' });
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    const doc = parseXml(xml.body);
    expect(doc.name).toBe('discovery');
    const endpoint = child(child(doc, 'endpoints')!, 'endpoint')!;
    expect(textOf(endpoint, 'specification')).toBe('http://wiki.open311.org/GeoReport_v2');
    expect(child(endpoint, 'formats')!.children.map((f) => f.text)).toEqual(['text/xml', 'application/json']);
  });

  it('lists the services with the spec’s fields, the same in JSON and XML', async () => {
    const json = await t.json({
      method: 'GET',
      url: `${base}/services.json`,
      headers: { 'accept-language': 'en' },
    });
    expect(json.status).toBe(200);
    const road = json.body.find((s: { service_code: string }) => s.service_code === 'road-damage');
    expect(road).toEqual({
      service_code: 'road-damage',
      service_name: 'Road damage or pothole',
      description: 'Road damage or pothole',
      metadata: false,
      type: 'realtime',
      keywords: 'road',
      group: 'Engineering Bureau',
    });
    const xml = parseXml((await t.app.inject({ method: 'GET', url: `${base}/services.xml` })).body);
    expect(xml.name).toBe('services');
    expect(xml.children.map((s) => textOf(s, 'service_code'))).toEqual(
      json.body.map((s: { service_code: string }) => s.service_code),
    );
    expect(
      textOf(xml.children.find((s) => textOf(s, 'service_code') === 'road-damage')!, 'service_name'),
    ).toBe('ถนนชำรุด/หลุมบ่อ');
  });

  it('gives a service definition, and 404 for an unknown service or format', async () => {
    const json = await t.json({ method: 'GET', url: `${base}/services/road-damage.json` });
    expect(json.body).toEqual({ service_code: 'road-damage', attributes: [] });
    const xml = parseXml(
      (await t.app.inject({ method: 'GET', url: `${base}/services/road-damage.xml` })).body,
    );
    expect(xml.name).toBe('service_definition');
    expect(textOf(xml, 'service_code')).toBe('road-damage');
    const missing = await t.json({ method: 'GET', url: `${base}/services/no-such.json` });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual([{ code: 404, description: 'no service no-such' }]);
    const missingXml = await t.app.inject({ method: 'GET', url: `${base}/services/no-such.xml` });
    expect(missingXml.statusCode).toBe(404);
    const errors = parseXml(missingXml.body);
    expect(errors.name).toBe('errors');
    expect(textOf(errors.children[0], 'code')).toBe('404');
    expect((await t.json({ method: 'GET', url: `${base}/services/road-damage.html` })).status).toBe(404);
    const unknown = await t.json({ method: 'GET', url: `${base}/nothing-here.json` });
    expect(unknown.status).toBe(404);
    expect(unknown.body[0].code).toBe(404);
  });
});

describe('filing through Open311', () => {
  it('needs a valid api_key (403), in either format', async () => {
    const { api_key: _key, ...noKey } = valid;
    const none = await post('json', noKey);
    expect(none.statusCode).toBe(403);
    expect(none.json()).toEqual([{ code: 403, description: 'api_key is required' }]);
    const wrong = await post('xml', { ...valid, api_key: 'not-a-key' });
    expect(wrong.statusCode).toBe(403);
    expect(textOf(parseXml(wrong.body).children[0], 'description')).toBe('api_key is not valid');
    // Without a key, even a broken body answers 403: nothing about the schema leaks.
    expect((await post('json', { lat: 'x' })).statusCode).toBe(403);
  });

  it('files a request (201) and returns its id and token; personal data never comes back', async () => {
    const res = await post('json', valid);
    expect(res.statusCode).toBe(201);
    const [answer] = res.json();
    expect(answer.service_request_id).toMatch(/^KK-[0-9]{4}-[0-9]{6}$/);
    expect(answer.token).toMatch(/^[0-9a-f-]{36}$/);
    await new ComplaintsModeration(t.db).decide(
      answer.service_request_id,
      { action: 'approve' },
      null,
      null,
      systemActor,
    );
    const one = await t.json({ method: 'GET', url: `${base}/requests/${answer.service_request_id}.json` });
    expect(one.status).toBe(200);
    expect(one.body).toHaveLength(1);
    expect(one.body[0]).toMatchObject({
      service_request_id: answer.service_request_id,
      status: 'open',
      status_notes: 'received',
      service_code: 'street-light',
      service_name: 'ไฟฟ้าส่องสว่างดับ',
      description: 'ไฟดับหน้าบ้าน',
      agency_responsible: 'สำนักการช่าง',
      lat: 16.441,
      long: 102.851,
    });
    expect(one.body[0].requested_datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
    expect(one.body[0].updated_datetime).toMatch(/\+07:00$/);
    expect(JSON.stringify(one.body)).not.toMatch(/integrator-user|Somchai|Jaidee/);
    // The contact is kept for staff.
    const staff = await t.json({
      method: 'GET',
      url: `/api/complaints/requests/${answer.service_request_id}`,
      headers: await t.tokenFor('admin'),
    });
    expect(staff.body.contact).toMatchObject({
      name: 'Somchai Jaidee',
      email: 'integrator-user@example.org',
    });

    const token = await t.json({ method: 'GET', url: `${base}/tokens/${answer.token}.json` });
    expect(token.body).toEqual([{ service_request_id: answer.service_request_id, token: answer.token }]);
    const tokenXml = parseXml(
      (await t.app.inject({ method: 'GET', url: `${base}/tokens/${answer.token}.xml` })).body,
    );
    expect(textOf(tokenXml.children[0], 'service_request_id')).toBe(answer.service_request_id);
    expect(
      (await t.json({ method: 'GET', url: `${base}/tokens/00000000-0000-0000-0000-000000000000.json` }))
        .status,
    ).toBe(404);
    expect((await t.json({ method: 'GET', url: `${base}/tokens/nope.json` })).status).toBe(404);
  });

  it('answers XML for an XML post, with script and SQL escaped and control characters replaced', async () => {
    const evil = `<script>alert("x")</script>'; DROP TABLE complaints_requests; -- & \u0001`;
    const res = await post('xml', { ...valid, description: evil });
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    const id = textOf(parseXml(res.body).children[0], 'service_request_id')!;
    const before = await t.json({ method: 'GET', url: `${base}/requests/${id}.json` });
    // Public text waits for moderation (moderation.ts); nothing unreviewed goes out.
    expect(before.body[0].description).toBe('');
    await new ComplaintsModeration(t.db).decide(id, { action: 'approve' }, null, null, systemActor);
    const xml = await t.app.inject({ method: 'GET', url: `${base}/requests/${id}.xml` });
    expect(xml.body).not.toContain('<script>');
    const request = parseXml(xml.body).children[0];
    expect(request.name).toBe('request');
    expect(textOf(request, 'description')).toBe(evil.replace('\u0001', '\uFFFD'));
    const json = await t.json({ method: 'GET', url: `${base}/requests/${id}.json` });
    expect(json.body[0].description).toBe(evil);
  });

  it('refuses bad input with 400 and the spec’s error list, storing nothing', async () => {
    const { service_code: _c, ...noService } = valid;
    const cases: [Record<string, string>, RegExp][] = [
      [noService, /service_code/],
      [{ ...valid, service_code: 'no-such' }, /not a service/],
      [{ ...valid, lat: '95' }, /WGS 84/],
      [{ ...valid, lat: 'north' }, /lat/],
      // The point check's description is in the request's language, Thai by default.
      [{ ...valid, lat: '13.75', long: '100.5' }, /นอกเขตเทศบาลนครขอนแก่น/],
      [{ ...valid, description: 'ก'.repeat(4001) }, /description/],
      [{ ...valid, email: 'not an email' }, /email/],
    ];
    const before = (await t.json({ method: 'GET', url: `${base}/requests.json` })).body.length;
    for (const [fields, message] of cases) {
      const res = await post('json', fields);
      expect(res.statusCode, JSON.stringify(fields).slice(0, 80)).toBe(400);
      const [error] = res.json();
      expect(error.code).toBe(400);
      expect(error.description).toMatch(message);
    }
    const english = await t.app.inject({
      method: 'POST',
      url: `${base}/requests.json`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
      payload: form({ ...valid, lat: '13.75', long: '100.5' }),
    });
    expect(english.json()[0].description).toMatch(/outside Khon Kaen/);
    const xml = await post('xml', { ...valid, lat: '95' });
    expect(xml.statusCode).toBe(400);
    expect(textOf(parseXml(xml.body).children[0], 'code')).toBe('400');
    expect((await t.json({ method: 'GET', url: `${base}/requests.json` })).body.length).toBe(before);
  });
});

describe('reading requests', () => {
  it('filters by id, service, status and dates, and pages', async () => {
    const service = new ComplaintsService(t.db);
    const actor = { ...systemActor, label: 'test' };
    const closed = await service.create(
      { category: 'noise', description: 'ดังมาก', lat: 16.4, lon: 102.86 },
      { userId: null, contact: { phone: '0812345678' } },
      actor,
    );
    const [admin] = await t.db.rows<{ id: string }>(
      sql`SELECT id FROM core_users WHERE email = 'admin@demo.local'`,
    );
    const principal: Principal = {
      userId: admin.id,
      kind: 'staff',
      role: 'admin',
      officeId: null,
      officeCode: null,
      displayName: 'admin',
      email: null,
      phone: null,
      nationalId: null,
      locale: 'th',
      via: 'token',
      csrfToken: null,
      tokenId: null,
    };
    await service.transition(
      closed.reference,
      { to: 'rejected', note: 'ไม่ใช่เรื่องของเทศบาล', public: true },
      principal,
      actor,
    );

    const all = await t.json({ method: 'GET', url: `${base}/requests.json` });
    expect(all.status).toBe(200);
    expect(all.body.length).toBeGreaterThan(3);
    const byId = await t.json({
      method: 'GET',
      url: `${base}/requests.json?service_request_id=${closed.reference}`,
    });
    expect(byId.body.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([
      closed.reference,
    ]);
    expect(byId.body[0]).toMatchObject({ status: 'closed', status_notes: 'rejected' });

    const noise = await t.json({ method: 'GET', url: `${base}/requests.json?service_code=noise,garbage` });
    expect(
      noise.body.every((r: { service_code: string }) => ['noise', 'garbage'].includes(r.service_code)),
    ).toBe(true);
    expect(noise.body.length).toBeGreaterThan(0);
    const open = await t.json({ method: 'GET', url: `${base}/requests.json?status=open` });
    expect(open.body.every((r: { status: string }) => r.status === 'open')).toBe(true);
    const closedOnly = await t.json({ method: 'GET', url: `${base}/requests.json?status=closed` });
    expect(closedOnly.body.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([
      closed.reference,
    ]);

    const future = await t.json({
      method: 'GET',
      url: `${base}/requests.json?start_date=2100-01-01T00:00:00Z`,
    });
    expect(future.body).toEqual([]);
    const past = await t.json({
      method: 'GET',
      url: `${base}/requests.json?start_date=2020-01-01T00:00:00%2B07:00&end_date=2100-01-01T00:00:00Z`,
    });
    expect(past.body.length).toBe(all.body.length);

    const p1 = await t.json({ method: 'GET', url: `${base}/requests.json?page_size=2` });
    const p2 = await t.json({ method: 'GET', url: `${base}/requests.json?page_size=2&page=2` });
    expect(p1.body).toHaveLength(2);
    expect(p2.body).toHaveLength(2);
    expect(p2.body[0].service_request_id).not.toBe(p1.body[0].service_request_id);
    expect(p1.body.concat(p2.body).map((r: { service_request_id: string }) => r.service_request_id)).toEqual(
      all.body.slice(0, 4).map((r: { service_request_id: string }) => r.service_request_id),
    );

    const xml = parseXml(
      (await t.app.inject({ method: 'GET', url: `${base}/requests.xml?page_size=2` })).body,
    );
    expect(xml.name).toBe('service_requests');
    expect(xml.children.map((r) => textOf(r, 'service_request_id'))).toEqual(
      p1.body.map((r: { service_request_id: string }) => r.service_request_id),
    );
  });

  it('gives every Open311 field and no other, dates in Thai time to the second, the same by id and in lists', async () => {
    const service = new ComplaintsService(t.db);
    // 17:30:05.250 UTC on 1 March is 00:30:05 on 2 March in Thailand: the day, the hour and the
    // dropped milliseconds all show whether the date is formatted right.
    const r = await service.create(
      { category: 'trees', description: 'กิ่งไม้หัก', lat: 16.441, lon: 102.851, address: 'โทร 0812345678' },
      { userId: null, contact: { phone: '0812345678' }, createdAt: '2026-03-01T17:30:05.250Z' },
      { ...systemActor, label: 'test' },
    );
    await new ComplaintsModeration(t.db).decide(r.reference, { action: 'approve' }, null, null, systemActor);
    const fields = [
      'service_request_id',
      'status',
      'status_notes',
      'service_name',
      'service_code',
      'description',
      'agency_responsible',
      'service_notice',
      'requested_datetime',
      'updated_datetime',
      'address',
      'lat',
      'long',
      'media_url',
    ];
    const one = (await t.json({ method: 'GET', url: `${base}/requests/${r.reference}.json` })).body[0];
    expect(Object.keys(one).sort()).toEqual([...fields].sort());
    const [stored] = await t.db.rows<{ updated: string }>(
      sql`SELECT to_char(updated_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"') AS updated
        FROM complaints_requests WHERE reference = ${r.reference}`,
    );
    expect(one).toEqual({
      service_request_id: r.reference,
      status: 'open',
      status_notes: 'received',
      service_name: 'ต้นไม้ล้ม/กิ่งไม้กีดขวาง',
      service_code: 'trees',
      description: 'กิ่งไม้หัก',
      agency_responsible: 'สำนักการช่าง',
      service_notice: '',
      requested_datetime: '2026-03-02T00:30:05+07:00',
      updated_datetime: stored.updated,
      address: 'โทร [phone]',
      lat: 16.441,
      long: 102.851,
      media_url: '',
    });
    const day = await t.json({
      method: 'GET',
      url: `${base}/requests.json?service_code=trees&start_date=2026-03-02T00:00:00%2B07:00&end_date=2026-03-02T23:59:59%2B07:00`,
    });
    expect(day.body).toEqual([one]);
    const byId = await t.json({
      method: 'GET',
      url: `${base}/requests.json?service_request_id=${r.reference}`,
    });
    expect(byId.body).toEqual([one]);
    const en = await t.json({
      method: 'GET',
      url: `${base}/requests/${r.reference}.json`,
      headers: { 'accept-language': 'en' },
    });
    expect(en.body[0].service_name).toBe('Fallen tree or branches');
    const xml = parseXml(
      (await t.app.inject({ method: 'GET', url: `${base}/requests/${r.reference}.xml` })).body,
    );
    expect(xml.children[0].children.map((c) => c.name).sort()).toEqual([...fields].sort());
    expect(textOf(xml.children[0], 'requested_datetime')).toBe('2026-03-02T00:30:05+07:00');
  });

  it('answers 400 for bad filters and 404 for unknown requests', async () => {
    for (const q of [
      'start_date=yesterday',
      'start_date=2026-01-01',
      'start_date=2026-01-01T00:00:00',
      'end_date=2026-13-45T00:00:00Z',
      'start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z',
      'status=pending',
      'page_size=0',
      'page_size=1001',
      'page=abc',
      "service_code=x'%20OR%201=1",
      'service_request_id=1;DROP',
    ]) {
      const res = await t.json({ method: 'GET', url: `${base}/requests.json?${q}` });
      expect(res.status, q).toBe(400);
      expect(res.body[0].code).toBe(400);
    }
    const bad = await t.app.inject({ method: 'GET', url: `${base}/requests.xml?status=pending` });
    expect(bad.statusCode).toBe(400);
    expect(parseXml(bad.body).name).toBe('errors');
    expect((await t.json({ method: 'GET', url: `${base}/requests/KK-2569-999999.json` })).status).toBe(404);
    expect((await t.json({ method: 'GET', url: `${base}/requests/anything.json` })).status).toBe(404);
    expect((await t.json({ method: 'GET', url: `${base}/requests/KK-2569-000001.pdf` })).status).toBe(404);
  });
});

describe('integrator keys', () => {
  it('lets an admin issue a key that works at once, and no one else', async () => {
    const issued = await t.json({
      method: 'POST',
      url: '/api/complaints/integrators',
      headers: await t.tokenFor('admin'),
      payload: { name: 'Khon Kaen chat bot' },
    });
    expect(issued.status).toBe(201);
    expect(issued.body.apiKey.length).toBeGreaterThan(20);
    expect((await post('json', { ...valid, api_key: issued.body.apiKey })).statusCode).toBe(201);
    const officer = await t.json({
      method: 'POST',
      url: '/api/complaints/integrators',
      headers: await t.tokenFor('officer'),
      payload: { name: 'x' },
    });
    expect(officer.status).toBe(403);
  });
});
