import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../core/audit/audit.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { validateCap } from '../../platform/alerts/cap-check.ts';
import { DeviceRepository } from '../../platform/devices/repository.ts';
import { floodModule } from './module.ts';
import { ruleKeyPrefix } from './rules.ts';
import { seed } from './seed.ts';

let t: TestApp;
let engineer: Record<string, string>;
let engineerId: string;
let offices: Map<string, string>;
let station: { id: string; deviceId: string };
beforeAll(async () => {
  t = await testApp({ modules: [floodModule] });
  const rows = await t.db.rows<{ id: string; code: string }>(sql`SELECT id, code FROM core_offices`);
  offices = new Map(rows.map((o) => [o.code, o.id]));
  engineerId = (
    await t.app.auth.createAccount(
      {
        displayName: 'เจ้าหน้าที่กองช่าง',
        email: 'engineer@test.local',
        password: 'a long password',
        role: 'officer',
        officeId: offices.get('engineering')!,
      },
      systemActor,
    )
  ).id;
  engineer = await t.signInAs('engineer@test.local', 'a long password');
  [station] = await t.db.rows<{ id: string; deviceId: string }>(
    sql`SELECT s.id, s.device_id AS "deviceId" FROM flood_stations s JOIN dev_devices d ON d.id = s.device_id
      WHERE s.kind = 'water_level' AND d.dev_eui = 'a84041000000f001'`,
  );
});
afterAll(() => t?.close());

interface RuleRow {
  id: string;
  managedBy: string;
  params: { value: number; clearAt: number; op: string; forMinutes: number };
  public: boolean;
  severity: string;
  officeId: string;
}
const rulesOf = (stationId: string) =>
  t.db.rows<RuleRow>(
    sql`SELECT id, managed_by AS "managedBy", params, public, severity, office_id AS "officeId" FROM rule_rules
      WHERE left(managed_by, length(${ruleKeyPrefix(stationId)})) = ${ruleKeyPrefix(stationId)} ORDER BY managed_by`,
  );
const audits = async (actorId: string | null, actions: string[]) =>
  (
    await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM core_audit_log WHERE action IN (${sql.join(
        actions.map((a) => sql`${a}`),
        sql`, `,
      )}) AND ${actorId === null ? sql`actor_id IS NULL` : sql`actor_id = ${actorId}`}`,
    )
  )[0].n;
const ruleWrites = ['rules.create', 'rules.update', 'rules.delete'];

const reading = async (value: number, at: Date) => {
  const row = {
    deviceId: station.deviceId,
    observedAt: at.toISOString(),
    quantity: 'waterLevel',
    value,
    fCnt: null,
  };
  await t.db.transaction((tx) => new DeviceRepository(t.db).insertReadings(tx, [row]));
  return t.app.rules.evaluator.onReadings([row]);
};
const openAlerts = () =>
  t.db.rows<{ id: string; public: boolean; ruleId: string; severity: string; zoneId: string | null }>(
    sql`SELECT id, public, rule_id AS "ruleId", severity, zone_id AS "zoneId" FROM alert_alerts
      WHERE subject = ${station.deviceId} AND status <> 'resolved'`,
  );

describe('flood levels drive rules', () => {
  it('seeds a warning and a critical rule per water-level station, none for rain gauges', async () => {
    const rules = await rulesOf(station.id);
    expect(rules.map((r) => r.managedBy)).toEqual([
      `${ruleKeyPrefix(station.id)}critical`,
      `${ruleKeyPrefix(station.id)}warning`,
    ]);
    const [critical, warning] = rules;
    expect(warning.params).toMatchObject({ op: 'above', value: 2.0, forMinutes: 0 });
    expect(warning.params.clearAt).toBeCloseTo(1.95, 6);
    expect(critical.params).toMatchObject({ value: 2.5, clearAt: 2.45 });
    expect(warning).toMatchObject({ public: true, severity: 'severe', officeId: offices.get('engineering') });
    expect(critical.severity).toBe('extreme');
    const [rain] = await t.db.rows<{ id: string }>(
      sql`SELECT id FROM flood_stations WHERE kind = 'rainfall'`,
    );
    expect(await rulesOf(rain.id)).toHaveLength(0);
  });

  it('seeding again changes and audits nothing', async () => {
    const before = await t.db.rows(sql`SELECT id, updated_at FROM rule_rules ORDER BY id`);
    const audited = await audits(null, ruleWrites);
    await seed({ db: t.db, events: t.events, offices });
    expect(await t.db.rows(sql`SELECT id, updated_at FROM rule_rules ORDER BY id`)).toEqual(before);
    expect(await audits(null, ruleWrites)).toBe(audited);
  });

  it('crossing the warning line raises one public alert; hysteresis holds it; dropping below clears it', async () => {
    const t0 = Date.now() - 60 * 60_000;
    const at = (min: number) => new Date(t0 + min * 60_000);
    expect(await reading(1.9, at(0))).toBe(0);
    expect(await reading(2.05, at(1))).toBe(1);
    const [alert] = await openAlerts();
    expect(alert.public).toBe(true);
    expect(alert.severity).toBe('severe');
    // Over the zone when the device has one; the CHECK constraint refuses a public alert with no area.
    const feed = await t.json({ method: 'GET', url: '/alerts/cap.atom' });
    expect(feed.status).toBe(200);
    expect(feed.body).toContain(alert.id);
    const pub = await t.json({ method: 'GET', url: '/api/alerts/public' });
    expect(JSON.stringify(pub.body)).toContain(alert.id);
    const cap = await t.json({ method: 'GET', url: `/alerts/cap/${alert.id}.xml` });
    expect(cap.status).toBe(200);
    expect(validateCap(cap.body)).toEqual([]);
    expect(cap.body).toContain('<category>Met</category>');
    expect(cap.body).toContain('<severity>Severe</severity>');
    // Just under the line but inside the band: still firing, still one alert.
    expect(await reading(1.99, at(2))).toBe(0);
    expect(await reading(2.1, at(3))).toBe(0);
    expect(await openAlerts()).toHaveLength(1);
    expect(await reading(1.8, at(4))).toBe(1);
    expect(await openAlerts()).toHaveLength(0);
    const [after] = await t.db.rows<{ status: string; capVersion: number }>(
      sql`SELECT status, cap_version AS "capVersion" FROM alert_alerts WHERE id = ${alert.id}`,
    );
    // Resolved and withdrawn from the feed with a CAP Cancel.
    expect(after).toMatchObject({ status: 'resolved', capVersion: 2 });
  });

  it('moving the levels updates the rules, audited as the staff member, and resolves open alerts', async () => {
    expect(await reading(2.1, new Date())).toBe(1);
    expect(await openAlerts()).toHaveLength(1);
    const byEngineer = await audits(engineerId, ruleWrites);
    const res = await t.json({
      method: 'PATCH',
      url: `/api/flood/stations/${station.id}`,
      headers: engineer,
      payload: { warning: 2.2, critical: 2.6 },
    });
    expect(res.status).toBe(200);
    const [critical, warning] = await rulesOf(station.id);
    expect(warning.params.value).toBe(2.2);
    expect(warning.params.clearAt).toBeCloseTo(2.15, 6);
    expect(critical.params.value).toBe(2.6);
    expect(await audits(engineerId, ['rules.update'])).toBe(byEngineer + 2);
    // The old condition's alert would never clear: it is resolved with the change.
    expect(await openAlerts()).toHaveLength(0);
    // Live at once: the evaluator was refreshed after the commit.
    expect(await reading(2.17, new Date(Date.now() + 1000))).toBe(0);
    expect(await reading(2.25, new Date(Date.now() + 2000))).toBe(1);
    // The same levels again: nothing rewritten, nothing audited, the alert stays open.
    const same = await t.json({
      method: 'PATCH',
      url: `/api/flood/stations/${station.id}`,
      headers: engineer,
      payload: { warning: 2.2 },
    });
    expect(same.status).toBe(200);
    expect(await audits(engineerId, ruleWrites)).toBe(byEngineer + 2);
    expect(await openAlerts()).toHaveLength(1);
  });

  it('a refused level change leaves the rules as they were', async () => {
    const before = await rulesOf(station.id);
    const res = await t.json({
      method: 'PATCH',
      url: `/api/flood/stations/${station.id}`,
      headers: engineer,
      payload: { warning: 9, critical: 3 },
    });
    expect(res.status).toBe(400);
    expect(await rulesOf(station.id)).toEqual(before);
  });

  it('a new station gets its rules at once, audited as its creator', async () => {
    const devices = new DeviceRepository(t.db);
    const profile = (await devices.profileByName('Water level, JSON (flood demo, synthetic)'))!;
    const device = await t.db.transaction((tx) =>
      devices.insertDevice(tx, {
        devEui: '0000000000000f0d',
        name: 'Test gauge',
        profileId: profile.id,
        officeId: offices.get('engineering')!,
        lon: 102.83,
        lat: 16.43,
        zoneCode: null,
        installedOn: null,
        tags: [],
      }),
    );
    const res = await t.json({
      method: 'POST',
      url: '/api/flood/stations',
      headers: engineer,
      payload: {
        deviceId: device.id,
        nameTh: 'ทดสอบ',
        nameEn: 'Test',
        watch: 0.5,
        warning: 0.52,
        critical: 1,
      },
    });
    expect(res.status).toBe(201);
    const [critical, warning] = await rulesOf(res.body.id);
    // The band never reaches below the level beneath: half the 2 cm gap to watch.
    expect(warning.params.clearAt).toBeCloseTo(0.51, 6);
    expect(critical.params.clearAt).toBeCloseTo(0.95, 6);
    const [n] = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM core_audit_log WHERE action = 'rules.create' AND actor_id = ${engineerId}`,
    );
    expect(n.n).toBe(2);
    // No zone for this device: a public alert is drawn around it instead.
    station = { id: res.body.id, deviceId: device.id };
    expect(await reading(0.6, new Date())).toBe(1);
    const [alert] = await openAlerts();
    expect(alert).toMatchObject({ public: true, zoneId: null });
    const cap = await t.json({ method: 'GET', url: `/alerts/cap/${alert.id}.xml` });
    expect(cap.body).toContain('<polygon>');
  });
});
