import { sql } from 'drizzle-orm';
import type { SeedContext } from '../../core/modules.ts';
import { OrgRepository } from '../../core/org/repository.ts';
import { DeviceRepository, type NewProfile, type ReadingRow } from '../../platform/devices/repository.ts';
import { EnergyRepository } from './repository.ts';

export const demoEnergyProfile: NewProfile = {
  name: 'Energy counters, JSON kWh (synthetic demo)',
  decoder: { kind: 'json' },
  quantities: [
    { field: 'generated_kwh', quantity: 'energyGenerated', unit: 'KWH' },
    { field: 'imported_kwh', quantity: 'energyImported', unit: 'KWH' },
    { field: 'exported_kwh', quantity: 'energyExported', unit: 'KWH' },
  ],
  entityType: 'Device',
  synthetic: true,
};

/**
 * [Thai name, English name, kind, office, lon, lat, floor m², PV kWp, base load kW, DevEUI stem]. Real
 * kinds of place of Khon Kaen; the sizes, loads and sites are SYNTHETIC (the KKU partnership site is
 * an illustrative one inside the municipality, not the university campus).
 */
const demoBuildings = [
  [
    'สำนักงานเทศบาลนครขอนแก่น (ข้อมูลสังเคราะห์)',
    'Khon Kaen City Hall (synthetic)',
    'municipal',
    'engineering',
    102.8335,
    16.4335,
    9800,
    120,
    45,
    'a8404100000e0001',
  ],
  [
    'โรงเรียนเทศบาลวัดกลาง (ข้อมูลสังเคราะห์)',
    'Wat Klang Municipal School (synthetic)',
    'school',
    'education',
    102.8405,
    16.4265,
    5200,
    50,
    18,
    'a8404100000e0002',
  ],
  [
    'โรงเรียนเทศบาลบ้านโนนชัย (ข้อมูลสังเคราะห์)',
    'Ban Non Chai Municipal School (synthetic)',
    'school',
    'education',
    102.8175,
    16.4475,
    4100,
    30,
    0,
    'a8404100000e0003',
  ],
  [
    'จุดสาธิตโซลาร์ความร่วมมือ มข.–เทศบาล (ข้อมูลสังเคราะห์)',
    'KKU–municipality solar partnership site (synthetic)',
    'university',
    'strategy',
    102.8255,
    16.4555,
    2400,
    200,
    60,
    'a8404100000e0004',
  ],
] as const;

const days = 14;
const hour = 3600_000;
const round = (n: number) => Math.round(n * 1000) / 1000;

/** Clear-sky-like PV output per kWp for a Bangkok hour (06:00–18:00, peak at noon), with a daily cloud factor. */
export function pvPerKwp(bangkokHour: number, cloud: number): number {
  if (bangkokHour < 6 || bangkokHour > 18) return 0;
  return 0.8 * Math.sin((Math.PI * (bangkokHour - 6)) / 12) * cloud;
}

/**
 * Khon Kaen demo: SYNTHETIC buildings, PV systems and meters with two weeks of hourly counter
 * readings. Safe to run twice (does nothing when the demo profile exists).
 */
export async function seed({ db, offices }: SeedContext): Promise<void> {
  const devices = new DeviceRepository(db);
  if (await devices.profileByName(demoEnergyProfile.name)) return;
  const repo = new EnergyRepository(db);
  const org = new OrgRepository(db);
  const end = Math.floor(Date.now() / hour) * hour;
  const start = end - days * 24 * hour;
  await db.transaction(async (tx) => {
    const profile = await devices.insertProfile(tx, demoEnergyProfile);
    const rows: ReadingRow[] = [];
    for (const [th, en, kind, office, lon, lat, area, kwp, load, eui] of demoBuildings) {
      const officeId = offices.get(office);
      if (!officeId) continue;
      const zoneCode = (await org.locate(lon, lat, tx))?.zone.code ?? null;
      const buildingId = await repo.insertBuilding(tx, {
        nameTh: th,
        nameEn: en,
        officeId,
        lon,
        lat,
        zoneCode,
        floorAreaM2: area,
        kind,
        synthetic: true,
      });
      const device = (name: string, devEui: string) =>
        devices.insertDevice(tx, {
          devEui,
          name,
          profileId: profile.id,
          officeId,
          lon,
          lat,
          zoneCode,
          installedOn: '2025-06-01',
          tags: ['energy'],
          synthetic: true,
        });
      const pv = await device(`PV inverter, ${en}`, eui);
      await repo.insertInstallation(tx, {
        buildingId,
        kind: 'pv',
        name: `Rooftop PV ${kwp} kWp (synthetic)`,
        kwp,
        installedOn: '2025-06-01',
        deviceId: pv.id,
        synthetic: true,
      });
      const meter =
        load > 0 ? await device(`Grid meter, ${en}`, `${eui.slice(0, 12)}f${eui.slice(13)}`) : null;
      if (meter)
        await repo.insertInstallation(tx, {
          buildingId,
          kind: 'meter',
          name: 'Grid meter (synthetic)',
          kwp: null,
          installedOn: '2025-06-01',
          deviceId: meter.id,
          synthetic: true,
        });
      let gen = 10_000 + kwp * 7;
      let imp = 50_000 + load * 11;
      let exp = 500;
      for (let t = start; t <= end; t += hour) {
        const h = (new Date(t).getUTCHours() + 7) % 24;
        const dayIndex = Math.floor((t - start) / (24 * hour));
        const cloud = 0.65 + 0.35 * Math.abs(Math.sin(dayIndex * 1.7 + kwp));
        const g = kwp * pvPerKwp(h, cloud);
        // Offices and schools draw most in working hours.
        const l = load * (h >= 8 && h < 17 ? 1 : 0.35);
        gen += g;
        imp += Math.max(0, l - g);
        exp += Math.max(0, g - l);
        const observedAt = new Date(t).toISOString();
        rows.push({
          deviceId: pv.id,
          observedAt,
          quantity: 'energyGenerated',
          value: round(gen),
          fCnt: null,
        });
        if (meter) {
          rows.push({
            deviceId: meter.id,
            observedAt,
            quantity: 'energyImported',
            value: round(imp),
            fCnt: null,
          });
          rows.push({
            deviceId: meter.id,
            observedAt,
            quantity: 'energyExported',
            value: round(exp),
            fCnt: null,
          });
        }
      }
    }
    // One set-based insert: the registry's insertReadings also reports what was new, which a seed needn't.
    await tx.execute(sql`INSERT INTO dev_readings (device_id, observed_at, quantity, value)
      SELECT d, t, q, v FROM unnest(
        ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(rows.map((r) => r.deviceId))}::jsonb))::uuid[],
        ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(rows.map((r) => r.observedAt))}::jsonb))::timestamptz[],
        ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(rows.map((r) => r.quantity))}::jsonb)),
        ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(rows.map((r) => r.value))}::jsonb))::float8[]) AS x(d, t, q, v)
      ON CONFLICT DO NOTHING`);
  });
}
