import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '../../core/db/index.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { validateCap } from './cap-check.ts';
import { parseXml, type XmlElement } from './xml-check.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ modules: [] });
});
afterAll(() => t?.close());

const square = {
  type: 'Polygon',
  coordinates: [
    [
      [102.82, 16.43],
      [102.85, 16.43],
      [102.85, 16.45],
      [102.82, 16.45],
      [102.82, 16.43],
    ],
  ],
};

const warning = (over: Record<string, unknown> = {}) => ({
  category: 'env',
  urgency: 'expected',
  severity: 'moderate',
  certainty: 'observed',
  event: { th: 'ฝุ่นละออง PM2.5 เกินมาตรฐาน', en: 'PM2.5 above the standard' },
  headline: { th: 'ค่าฝุ่น PM2.5 สูงในเขต 1', en: 'High PM2.5 in zone 1' },
  description: { th: 'ค่าเฉลี่ย 24 ชั่วโมง 80 µg/m³', en: '24-hour average 80 µg/m³' },
  instruction: { th: 'สวมหน้ากาก N95 เมื่อออกนอกอาคาร', en: 'Wear an N95 mask outdoors' },
  area: { zoneCode: 'zone-1', description: { th: 'เขต 1', en: 'Zone 1' } },
  ...over,
});

const raise = async (payload: unknown, role: 'admin' | 'office_manager' = 'office_manager') =>
  t.json({ method: 'POST', url: '/api/alerts', headers: await t.tokenFor(role), payload: payload as object });

const cap = async (id: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/alerts/cap/${id}.xml` });
  return { res, root: res.statusCode === 200 ? parseXml(res.body) : null };
};
const child = (e: XmlElement, name: string) => e.children.find((c) => c.name === name)!;
const infos = (root: XmlElement) => root.children.filter((c) => c.name === 'info');

describe('public warnings', () => {
  it('lets an office manager raise one, audited, with an event, and publishes it as CAP 1.2', async () => {
    const res = await raise(warning());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      source: 'manual',
      public: true,
      status: 'raised',
      zoneCode: 'zone-1',
      capVersion: 1,
    });
    const id = res.body.id;

    const { res: capRes, root } = await cap(id);
    expect(capRes.headers['content-type']).toContain('application/cap+xml');
    expect(validateCap(capRes.body)).toEqual([]);
    expect(child(root!, 'msgType').text).toBe('Alert');
    expect(child(root!, 'scope').text).toBe('Public');
    expect(child(root!, 'identifier').text).toBe(`mueang-${id}-1`);
    const [th, en] = infos(root!);
    expect(child(th, 'language').text).toBe('th-TH');
    expect(child(en, 'language').text).toBe('en');
    expect(child(th, 'headline').text).toBe('ค่าฝุ่น PM2.5 สูงในเขต 1');
    expect(child(th, 'category').text).toBe('Env');
    expect(child(th, 'severity').text).toBe('Moderate');
    const area = child(th, 'area');
    expect(child(area, 'areaDesc').text).toBe('เขต 1');
    // the zone's polygon, by reference
    expect(area.children.filter((c) => c.name === 'polygon').length).toBeGreaterThan(0);

    const audit = await t.db.rows(
      sql`SELECT 1 FROM core_audit_log WHERE action = 'alerts.warning.raise' AND resource_id = ${id}`,
    );
    expect(audit).toHaveLength(1);
    const events = await t.db.rows<{ payload: { alertId: string; status: string } }>(
      sql`SELECT payload FROM core_outbox WHERE type = 'alert.raised' AND payload->>'alertId' = ${id}`,
    );
    expect(events).toHaveLength(1);
    expect(events[0].payload.status).toBe('raised');
  });

  it('publishes a drawn polygon as lat,lon pairs', async () => {
    const res = await raise(
      warning({ area: { polygon: square, description: { th: 'ตลาด', en: 'Market' } } }),
      'admin',
    );
    expect(res.status).toBe(201);
    const { root } = await cap(res.body.id);
    const polygon = child(child(infos(root!)[0], 'area'), 'polygon').text;
    expect(polygon).toBe('16.43,102.82 16.43,102.85 16.45,102.85 16.45,102.82 16.43,102.82');
  });

  it('escapes hostile text in every field and keeps Thai intact', async () => {
    const evil = `<script>alert("x")</script> ]]> & ' ทดสอบ`;
    const res = await raise(
      warning({
        event: { th: evil, en: evil },
        headline: { th: evil, en: evil },
        description: { th: evil, en: evil },
        area: { zoneCode: 'zone-1', description: { th: evil, en: evil } },
      }),
    );
    expect(res.status).toBe(201);
    const { res: capRes, root } = await cap(res.body.id);
    expect(validateCap(capRes.body)).toEqual([]);
    expect(capRes.body).not.toContain('<script>');
    expect(child(infos(root!)[0], 'headline').text).toBe(evil);
    const feed = await t.app.inject({ method: 'GET', url: '/alerts/cap.atom' });
    expect(feed.body).not.toContain('<script>');
    parseXml(feed.body);
  });

  it.each([
    ['no area', { area: {} }, 'alerts.area_required'],
    ['unknown zone', { area: { zoneCode: 'zone-99' } }, 'alerts.zone_not_found'],
    [
      'an open polygon',
      {
        area: {
          polygon: { ...square, coordinates: [square.coordinates[0].slice(0, 4).concat([[102.9, 16.5]])] },
        },
      },
      'alerts.polygon_not_closed',
    ],
    [
      'a self-intersecting polygon',
      {
        area: {
          polygon: {
            type: 'Polygon',
            coordinates: [
              [
                [102.82, 16.43],
                [102.85, 16.45],
                [102.85, 16.43],
                [102.82, 16.45],
                [102.82, 16.43],
              ],
            ],
          },
        },
      },
      undefined,
    ],
    [
      'a longitude out of range',
      {
        area: {
          polygon: {
            ...square,
            coordinates: [
              [
                [200, 16],
                [201, 16],
                [201, 17],
                [200, 16],
              ],
            ],
          },
        },
      },
      undefined,
    ],
    ['an unknown severity', { severity: 'high' }, undefined],
    ['a CAP-cased value', { category: 'Env' }, undefined],
    ['a number for a headline', { headline: { th: 1, en: 'x' } }, undefined],
    ['an empty headline', { headline: { th: '', en: 'x' } }, undefined],
    ['a control character', { headline: { th: 'a\u0000b', en: 'x' } }, undefined],
    ['an extra field', { sender: 'spoof@example' }, undefined],
    ['a past expiry', { expiresAt: '2020-01-01T00:00:00Z' }, undefined],
    ['a huge description', { description: { th: 'ก'.repeat(5000), en: 'x' } }, undefined],
  ])('refuses %s with 400', async (_name, over, code) => {
    const res = await raise(warning(over));
    expect(res.status).toBe(400);
    if (code) expect(res.body.code).toBe(code);
  });

  it('refuses anonymous callers, citizens and officers', async () => {
    const anon = await t.json({ method: 'POST', url: '/api/alerts', payload: warning() });
    expect(anon.status).toBe(401);
    const citizen = await t.json({
      method: 'POST',
      url: '/api/alerts',
      headers: await t.tokenFor('citizen'),
      payload: warning(),
    });
    expect(citizen.status).toBe(403);
    const officer = await t.json({
      method: 'POST',
      url: '/api/alerts',
      headers: await t.tokenFor('officer'),
      payload: warning(),
    });
    expect(officer.status).toBe(403);
    const list = await t.json({ method: 'GET', url: '/api/alerts', headers: await t.tokenFor('citizen') });
    expect(list.status).toBe(403);
  });
});

describe('lifecycle: raised → acknowledged → resolved', () => {
  it('records who and when, refuses going back, and cancels the CAP message', async () => {
    const { body: raised } = await raise(warning());
    const officer = await t.tokenFor('officer');
    const ack = await t.json({
      method: 'POST',
      url: `/api/alerts/${raised.id}/acknowledge`,
      headers: officer,
    });
    expect(ack.status).toBe(200);
    expect(ack.body.status).toBe('acknowledged');
    expect(ack.body.acknowledgedBy).toBeTruthy();
    expect(ack.body.acknowledgedAt).toBeTruthy();
    expect(ack.body.capVersion).toBe(1); // acknowledging is internal: no new public message

    const again = await t.json({
      method: 'POST',
      url: `/api/alerts/${raised.id}/acknowledge`,
      headers: officer,
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('alerts.invalid_transition');

    const resolved = await t.json({
      method: 'POST',
      url: `/api/alerts/${raised.id}/resolve`,
      headers: officer,
      payload: { note: 'ค่าฝุ่นลดลงแล้ว' },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolutionNote: 'ค่าฝุ่นลดลงแล้ว', capVersion: 2 });

    const { res, root } = await cap(raised.id);
    expect(validateCap(res.body)).toEqual([]);
    expect(child(root!, 'msgType').text).toBe('Cancel');
    expect(child(root!, 'identifier').text).toBe(`mueang-${raised.id}-2`);
    expect(child(root!, 'references').text).toMatch(
      new RegExp(
        `^mueang@localhost,mueang-${raised.id}-1,\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+07:00$`,
      ),
    );

    const twice = await t.json({ method: 'POST', url: `/api/alerts/${raised.id}/resolve`, headers: officer });
    expect(twice.status).toBe(409);

    const types = await t.db.rows<{ type: string }>(
      sql`SELECT type FROM core_outbox WHERE payload->>'alertId' = ${raised.id} ORDER BY id`,
    );
    expect(types.map((r) => r.type)).toEqual(['alert.raised', 'alert.acknowledged', 'alert.resolved']);
    const audits = await t.db.rows<{ action: string }>(
      sql`SELECT action FROM core_audit_log WHERE resource_id = ${raised.id} ORDER BY id`,
    );
    expect(audits.map((r) => r.action)).toEqual([
      'alerts.warning.raise',
      'alerts.acknowledge',
      'alerts.resolve',
    ]);

    const feed = await t.app.inject({ method: 'GET', url: '/alerts/cap.atom' });
    expect(feed.headers['content-type']).toContain('application/atom+xml');
    const entries = parseXml(feed.body).children.filter((c) => c.name === 'entry');
    const entry = entries.find((e) => child(e, 'id').text === `urn:uuid:${raised.id}`)!;
    expect(child(entry, 'title').text).toMatch(/Cancelled/);
    expect(child(entry, 'link').attrs.href).toBe(`http://localhost:80/alerts/cap/${raised.id}.xml`);
  });

  it('publishes an update as a CAP Update and the cancel references every earlier message', async () => {
    const { body: raised } = await raise(warning());
    const manager = await t.tokenFor('office_manager');
    const patch = (payload: unknown, headers = manager) =>
      t.json({ method: 'PATCH', url: `/api/alerts/${raised.id}`, headers, payload: payload as object });

    const updated = await patch({ severity: 'severe', headline: { th: 'ค่าฝุ่นสูงมาก', en: 'Very high PM2.5' } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ severity: 'severe', capVersion: 2, status: 'raised' });
    const { res, root } = await cap(raised.id);
    expect(validateCap(res.body)).toEqual([]);
    expect(child(root!, 'msgType').text).toBe('Update');
    expect(child(root!, 'references').text).toContain(`,mueang-${raised.id}-1,`);
    expect(child(infos(root!)[0], 'severity').text).toBe('Severe');
    expect(child(infos(root!)[0], 'headline').text).toBe('ค่าฝุ่นสูงมาก');

    expect((await patch({})).status).toBe(400);
    expect((await patch({ severity: 'Severe' })).status).toBe(400);
    expect((await patch({ severity: 'minor' }, await t.tokenFor('officer'))).status).toBe(403);

    await t.json({ method: 'POST', url: `/api/alerts/${raised.id}/resolve`, headers: manager });
    const cancelled = await cap(raised.id);
    expect(child(cancelled.root!, 'msgType').text).toBe('Cancel');
    const refs = child(cancelled.root!, 'references').text.split(' ');
    expect(refs.map((r) => r.split(',')[1])).toEqual([`mueang-${raised.id}-1`, `mueang-${raised.id}-2`]);
    const late = await patch({ severity: 'minor' });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('alerts.not_updatable');
    expect(late.body.detail).toBe('แก้ไขได้เฉพาะประกาศเตือนภัยสาธารณะที่ยังไม่สิ้นสุดเท่านั้น');
    const lateEn = await patch({ severity: 'minor' }, { ...manager, 'accept-language': 'en' });
    expect(lateEn.body.detail).toBe('only an open public warning can be updated');

    const types = await t.db.rows<{ type: string }>(
      sql`SELECT type FROM core_outbox WHERE payload->>'alertId' = ${raised.id} ORDER BY id`,
    );
    expect(types.map((r) => r.type)).toEqual(['alert.raised', 'alert.updated', 'alert.resolved']);
  });

  it('refuses a body over the size limit', async () => {
    const res = await raise(warning({ description: { th: 'ก'.repeat(3_000_000), en: 'x' } }));
    expect([400, 413]).toContain(res.status);
  });

  it('keeps office-bound staff to their own office', async () => {
    const { body: raised } = await raise(warning()); // the clerk office's manager
    const revenue = await t.signInAs('revenue@demo.local'); // an officer of the finance office
    const other = await t.json({
      method: 'POST',
      url: `/api/alerts/${raised.id}/acknowledge`,
      headers: revenue,
    });
    expect(other.status).toBe(404);
    const seen = await t.json({ method: 'GET', url: '/api/alerts', headers: revenue });
    expect(seen.body.find((a: { id: string }) => a.id === raised.id)).toBeUndefined();
    const admin = await t.json({
      method: 'GET',
      url: `/api/alerts/${raised.id}`,
      headers: await t.tokenFor('admin'),
    });
    expect(admin.status).toBe(200);
  });

  it('answers 404 for unknown or malformed ids', async () => {
    const headers = await t.tokenFor('admin');
    const unknown = await t.json({
      method: 'POST',
      url: '/api/alerts/00000000-0000-4000-8000-000000000000/acknowledge',
      headers,
    });
    expect(unknown.status).toBe(404);
    const bad = await t.json({
      method: 'POST',
      url: `/api/alerts/${encodeURIComponent("1' OR '1'='1")}/acknowledge`,
      headers,
    });
    expect(bad.status).toBe(400);
    const capUnknown = await t.app.inject({
      method: 'GET',
      url: '/alerts/cap/00000000-0000-4000-8000-000000000000.xml',
    });
    expect(capUnknown.statusCode).toBe(404);
    const capBad = await t.app.inject({ method: 'GET', url: '/alerts/cap/..%2F..%2Fetc%2Fpasswd.xml' });
    expect(capBad.statusCode).toBe(400);
  });
});

describe('OpenAPI', () => {
  it('documents the staff API and the CAP output', async () => {
    const doc = await t.json({ method: 'GET', url: '/api/docs/json' });
    expect(doc.body.paths['/api/alerts'].post.requestBody).toBeDefined();
    expect(doc.body.paths['/api/alerts/{id}'].patch).toBeDefined();
    expect(doc.body.paths['/alerts/cap.atom'].get).toBeDefined();
  });
});

describe('alerts raised by rules', () => {
  const ruleAlert = {
    ruleId: 'water-level-warning',
    subject: 'urn:ngsi-ld:WaterLevelSensor:kk-001',
    category: 'geo' as const,
    urgency: 'immediate' as const,
    severity: 'severe' as const,
    certainty: 'observed' as const,
    event: { th: 'ระดับน้ำถึงขั้นเตือนภัย', en: 'Water level at warning' },
    headline: { th: 'ระดับน้ำสูง', en: 'High water' },
  };

  it('keeps one open alert per rule and subject, and a new one after it is resolved', async () => {
    const first = await t.app.alerts.raiseFromRule(ruleAlert);
    const second = await t.app.alerts.raiseFromRule(ruleAlert);
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.alert.id).toBe(first.alert.id);
    const other = await t.app.alerts.raiseFromRule({
      ...ruleAlert,
      subject: 'urn:ngsi-ld:WaterLevelSensor:kk-002',
    });
    expect(other.created).toBe(true);
    const raisedEvents = await t.db.rows(
      sql`SELECT 1 FROM core_outbox WHERE type = 'alert.raised' AND payload->>'alertId' = ${first.alert.id}`,
    );
    expect(raisedEvents).toHaveLength(1);

    const resolved = await t.json({
      method: 'POST',
      url: `/api/alerts/${first.alert.id}/resolve`,
      headers: await t.tokenFor('admin'),
    });
    expect(resolved.status).toBe(200);
    const third = await t.app.alerts.raiseFromRule(ruleAlert);
    expect(third.created).toBe(true);
    expect(third.alert.id).not.toBe(first.alert.id);
  });

  it('writes an alert raised and resolved in one transaction once, with the audit and events of both', async () => {
    const flash = { ...ruleAlert, ruleId: 'flash-rule', subject: 'flash-1' };
    const open = await t.app.alerts.raiseFromRule({ ...flash, subject: 'flash-2' });
    const moved = await t.db.transaction((tx) =>
      t.app.alerts.raiseResolvedManyFromRule([flash, { ...flash, subject: 'flash-2' }], tx),
    );
    expect(moved).toBe(2);
    const rows = await t.db.rows<{
      id: string;
      subject: string;
      status: string;
      same: boolean;
      note: string;
    }>(
      sql`SELECT id, subject, status, raised_at = resolved_at AS same, resolution_note AS note
        FROM alert_alerts WHERE rule_id = 'flash-rule' ORDER BY subject`,
    );
    // a new alert, already resolved; the open one resolved instead of a second alert beside it
    expect(rows.map((r) => [r.subject, r.status])).toEqual([
      ['flash-1', 'resolved'],
      ['flash-2', 'resolved'],
    ]);
    expect(rows[1].id).toBe(open.alert.id);
    expect(rows[0].same).toBe(true);
    expect(rows[0].note).toBe('auto-resolved: the rule condition cleared');
    const events = await t.db.rows<{ type: string; subject: string; status: string }>(
      sql`SELECT type, payload->>'subject' AS subject, payload->>'status' AS status FROM core_outbox
        WHERE payload->>'ruleId' = 'flash-rule' ORDER BY id`,
    );
    expect(events.filter((e) => e.subject === 'flash-1')).toEqual([
      { type: 'alert.raised', subject: 'flash-1', status: 'raised' },
      { type: 'alert.resolved', subject: 'flash-1', status: 'resolved' },
    ]);
    expect(events.filter((e) => e.subject === 'flash-2')).toEqual([
      { type: 'alert.raised', subject: 'flash-2', status: 'raised' },
      { type: 'alert.resolved', subject: 'flash-2', status: 'resolved' },
    ]);
    const audit = await t.db.rows<{ action: string; id: string }>(
      sql`SELECT action, resource_id AS id FROM core_audit_log
        WHERE detail->>'ruleId' = 'flash-rule' ORDER BY action, resource_id`,
    );
    expect(audit).toEqual(
      [
        { action: 'alerts.rule.raise', id: rows[0].id },
        { action: 'alerts.rule.raise', id: rows[1].id },
        { action: 'alerts.rule.resolve', id: rows[0].id },
        { action: 'alerts.rule.resolve', id: rows[1].id },
      ].sort((x, y) => x.action.localeCompare(y.action) || x.id.localeCompare(y.id)),
    );
  });

  it('lists every alert newest first across statuses, page by page, each status through its index', async () => {
    const listed = { ...ruleAlert, ruleId: 'list-rule' };
    // one transaction's alerts share their raised_at: ties go by id
    await t.db.transaction((tx) =>
      t.app.alerts.raiseManyFromRule(
        ['l-1', 'l-2', 'l-3'].map((subject) => ({ ...listed, subject })),
        tx,
      ),
    );
    await t.db.transaction((tx) =>
      t.app.alerts.raiseResolvedManyFromRule([{ ...listed, subject: 'l-4' }], tx),
    );
    const [open] = await t.db.rows<{ id: string }>(
      sql`SELECT id FROM alert_alerts WHERE rule_id = 'list-rule' AND subject = 'l-2'`,
    );
    const headers = await t.tokenFor('admin');
    const ack = await t.json({ method: 'POST', url: `/api/alerts/${open.id}/acknowledge`, headers });
    expect(ack.status).toBe(200);
    const expected = await t.db.rows<{ id: string }>(
      sql`SELECT id FROM alert_alerts ORDER BY raised_at DESC, id`,
    );
    expect(expected.length).toBeGreaterThan(4);
    const seen: string[] = [];
    for (let offset = 0; offset < expected.length + 3; offset += 3) {
      const res = await t.json({ method: 'GET', url: `/api/alerts?limit=3&offset=${offset}`, headers });
      expect(res.status).toBe(200);
      seen.push(...(res.body as { id: string }[]).map((a) => a.id));
    }
    expect(seen).toEqual(expected.map((r) => r.id));
    // the plan: each status's newest through the status index, not the whole table sorted
    const rows = t.db.rows.bind(t.db);
    let query: SQL | null = null;
    t.db.rows = ((q: SQL, on?: Executor) => {
      query ??= q;
      return rows(q, on);
    }) as typeof t.db.rows;
    try {
      await t.app.alerts.repo.list({ limit: 20, offset: 0 });
    } finally {
      t.db.rows = rows;
    }
    const plan = await t.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      return t.db.rows<Record<string, string>>(sql`EXPLAIN ${query!}`, tx);
    });
    const text = plan.map((r) => Object.values(r)[0]).join('\n');
    for (const status of ['raised', 'acknowledged', 'resolved'])
      expect(text).toContain(`Index Cond: (status = '${status}'::text)`);
  });

  it('keeps rule alerts out of the public CAP output', async () => {
    const { alert } = await t.app.alerts.raiseFromRule({ ...ruleAlert, subject: 'internal-only' });
    const { res } = await cap(alert.id);
    expect(res.statusCode).toBe(404);
    const feed = await t.app.inject({ method: 'GET', url: '/alerts/cap.atom' });
    expect(feed.body).not.toContain(alert.id);
  });
});
