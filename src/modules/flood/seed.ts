import { sql } from 'drizzle-orm';
import { systemActor } from '../../core/audit/audit.ts';
import type { SeedContext } from '../../core/modules.ts';
import { OrgRepository } from '../../core/org/repository.ts';
import { DeviceRepository, type ReadingRow } from '../../platform/devices/repository.ts';
import { FloodRepository, type NewShelter } from './repository.ts';
import { syncStationRules } from './rules.ts';

/**
 * Khon Kaen flood demo. The places are real landmarks of the city, but every shelter's capacity,
 * facilities and contact, every station's levels and every reading are SYNTHETIC, labelled so in the
 * names and the `synthetic` flag. Safe to run again: nothing is added twice. Stations are not
 * published to the context broker here (test apps seed the demo, and the broker's tests count its
 * entities): a station's FloodMonitoring entity appears with its device's next reading or a staff edit.
 */
export const demoShelters: Omit<NewShelter, 'zoneCode' | 'officeId'>[] = [
  {
    kind: 'shelter',
    nameTh: 'ศาลาว่าการเทศบาลนครขอนแก่น (ข้อมูลสังเคราะห์)',
    nameEn: 'Khon Kaen City Municipality hall (synthetic)',
    lon: 102.836,
    lat: 16.431,
    capacity: 300,
    facilities: ['water', 'toilets', 'electricity', 'medical', 'accessible'],
    contact: '043-000-000 (synthetic)',
  },
  {
    kind: 'shelter',
    nameTh: 'โรงยิมโรงเรียนขอนแก่นวิทยายน (ข้อมูลสังเคราะห์)',
    nameEn: 'Khon Kaen Wittayayon School gymnasium (synthetic)',
    lon: 102.838,
    lat: 16.437,
    capacity: 500,
    facilities: ['water', 'toilets', 'electricity', 'kitchen', 'shower'],
    contact: '043-000-001 (synthetic)',
  },
  {
    kind: 'shelter',
    nameTh: 'โรงเรียนเทศบาลวัดกลาง (ข้อมูลสังเคราะห์)',
    nameEn: 'Wat Klang Municipal School (synthetic)',
    lon: 102.842,
    lat: 16.425,
    capacity: 200,
    facilities: ['water', 'toilets', 'electricity', 'kitchen'],
    contact: '043-000-002 (synthetic)',
  },
  {
    kind: 'evacuation_point',
    nameTh: 'จุดรวมพลลานบึงแก่นนคร (ข้อมูลสังเคราะห์)',
    nameEn: 'Bueng Kaen Nakhon assembly point (synthetic)',
    lon: 102.834,
    lat: 16.418,
    capacity: 1000,
    facilities: ['water', 'toilets', 'parking'],
    contact: null,
  },
  {
    kind: 'evacuation_point',
    nameTh: 'จุดรวมพลวัดหนองแวง (ข้อมูลสังเคราะห์)',
    nameEn: 'Wat Nong Wang assembly point (synthetic)',
    lon: 102.832,
    lat: 16.411,
    capacity: 400,
    facilities: ['water', 'toilets', 'accessible', 'pets'],
    contact: null,
  },
];

const demoProfiles = [
  {
    name: 'Water level, JSON (flood demo, synthetic)',
    quantities: [{ field: 'level_m', quantity: 'waterLevel', unit: 'MTR' }],
  },
  {
    name: 'Rain gauge, JSON (flood demo, synthetic)',
    quantities: [{ field: 'rain_mm', quantity: 'rainfall', unit: 'MMT' }],
  },
];

/** [DevEUI, profile index, lon, lat, Thai and English station names, levels] */
const demoStations = [
  {
    devEui: 'a84041000000f001',
    profile: 0,
    lon: 102.838,
    lat: 16.412,
    nameTh: 'ระดับน้ำคลองระบายบึงแก่นนคร (ข้อมูลสังเคราะห์)',
    nameEn: 'Bueng Kaen Nakhon outlet canal level (synthetic)',
    levels: { watch: 1.5, warning: 2.0, critical: 2.5, bankFull: 2.8 },
  },
  {
    devEui: 'a84041000000f002',
    profile: 1,
    lon: 102.836,
    lat: 16.432,
    nameTh: 'มาตรวัดฝนศาลาว่าการเทศบาล (ข้อมูลสังเคราะห์)',
    nameEn: 'Municipality hall rain gauge (synthetic)',
    // mm in 24 hours, after the Thai Meteorological Department's heavy (35.1) and very heavy (90.1) rain.
    levels: { watch: 35.1, warning: 90.1, critical: 150, bankFull: null },
  },
];

/** Levels for other synthetic water-level devices found at seed time (e.g. the sensor network's drains). */
const drainLevels = { watch: 1.0, warning: 1.5, critical: 2.0, bankFull: 2.2 };

export async function seed({ db, offices }: SeedContext): Promise<void> {
  const devices = new DeviceRepository(db);
  const flood = new FloodRepository(db);
  const org = new OrgRepository(db);
  const officeId = offices.get('engineering');
  if (!officeId) throw new Error('demo office engineering is missing');
  const step = 15 * 60_000;
  const now = Math.floor(Date.now() / step) * step;
  await db.transaction(async (tx) => {
    for (const s of demoShelters) {
      if (await flood.shelterIdByName(s.nameEn, tx)) continue;
      const place = await org.locate(s.lon, s.lat, tx);
      await flood.insertShelter(tx, { ...s, zoneCode: place?.zone.code ?? null, officeId, synthetic: true });
    }
    const profileIds: string[] = [];
    for (const p of demoProfiles) {
      const found = await devices.profileByName(p.name, tx);
      profileIds.push(
        found?.id ??
          (
            await devices.insertProfile(tx, {
              name: p.name,
              decoder: { kind: 'json' },
              quantities: p.quantities,
              entityType: 'Device',
              synthetic: true,
            })
          ).id,
      );
    }
    for (const s of demoStations) {
      if (await devices.deviceIdByEui(s.devEui, tx)) continue;
      const place = await org.locate(s.lon, s.lat, tx);
      const d = await devices.insertDevice(tx, {
        devEui: s.devEui,
        name: s.nameEn,
        profileId: profileIds[s.profile],
        officeId,
        lon: s.lon,
        lat: s.lat,
        zoneCode: place?.zone.code ?? null,
        installedOn: '2026-05-01',
        tags: ['flood'],
        synthetic: true,
      });
      await devices.insertReadings(tx, demoReadings(d.id, s.profile === 0, now, step));
      await devices.updateLinks(tx, [
        { deviceId: d.id, seenAt: new Date(now).toISOString(), fCnt: null, rssi: -90, snr: 5, battery: 90 },
      ]);
      await flood.insertStation(tx, {
        deviceId: d.id,
        kind: s.profile === 0 ? 'water_level' : 'rainfall',
        quantity: s.profile === 0 ? 'waterLevel' : 'rainfall',
        nameTh: s.nameTh,
        nameEn: s.nameEn,
        datum: s.profile === 0 ? 'gauge zero (synthetic)' : 'rain in 24 hours',
        ...s.levels,
        synthetic: true,
      });
    }
    // Other synthetic water-level devices (the sensor network's demo drains) become stations too.
    const drains = await db.rows<{ id: string; name: string }>(
      sql`SELECT d.id, d.name FROM dev_devices d JOIN dev_profiles p ON p.id = d.profile_id
        WHERE d.synthetic AND p.quantities @> '[{"quantity": "waterLevel"}]'::jsonb
          AND NOT EXISTS (SELECT 1 FROM flood_stations s WHERE s.device_id = d.id)`,
      tx,
    );
    for (const d of drains)
      await flood.insertStation(tx, {
        deviceId: d.id,
        kind: 'water_level',
        quantity: 'waterLevel',
        nameTh: `${d.name} (ข้อมูลสังเคราะห์)`,
        nameEn: d.name,
        datum: 'gauge zero (synthetic)',
        ...drainLevels,
        synthetic: true,
      });
    // Every station's warning and critical rules, as the API keeps them; unchanged ones are left alone.
    for (const station of await flood.stations(tx)) await syncStationRules(db, tx, station, systemActor);
  });
}

/**
 * A day of readings every 15 minutes: the canal steady near 1.2 m, then rising after an afternoon
 * storm into "watch"; the gauge dry, then the storm's rain over the last three hours.
 */
function demoReadings(deviceId: string, water: boolean, now: number, step: number): ReadingRow[] {
  const rows: ReadingRow[] = [];
  const n = 96;
  for (let i = n - 1; i >= 0; i--) {
    const t = now - i * step;
    const sinceStorm = 12 - i; // the storm began three hours (12 steps) ago
    const value = water
      ? round(1.2 + 0.02 * Math.sin(i / 5) + (sinceStorm > 0 ? 0.035 * sinceStorm : 0))
      : sinceStorm > 0
        ? round(2 + 6 * Math.sin((sinceStorm / 12) * Math.PI))
        : 0;
    rows.push({
      deviceId,
      observedAt: new Date(t).toISOString(),
      quantity: water ? 'waterLevel' : 'rainfall',
      value,
      fCnt: null,
    });
  }
  return rows;
}

const round = (n: number) => Math.round(n * 100) / 100;
