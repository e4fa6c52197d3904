import type { SeedContext } from '../../core/modules.ts';
import { OrgRepository } from '../../core/org/repository.ts';
import { DeviceRepository, type ReadingRow } from '../../platform/devices/repository.ts';
import { CyclingRepository, countQuantity, type NewLane } from './repository.ts';

const line = (...points: [number, number][]) => ({ type: 'MultiLineString' as const, coordinates: [points] });

/** A loop around a point, for the lake-shore path (the shape is synthetic, not surveyed). */
function loop(lon: number, lat: number, rLon: number, rLat: number, n = 24) {
  const points: [number, number][] = [];
  for (let i = 0; i <= n; i++) {
    const a = (2 * Math.PI * (i % n)) / n;
    points.push([+(lon + rLon * Math.cos(a)).toFixed(6), +(lat + rLat * Math.sin(a)).toFixed(6)]);
  }
  return line(...points);
}

/** SYNTHETIC lanes: real place names, invented geometry, labelled so in their names and flag. */
export const demoLanes: NewLane[] = [
  {
    nameTh: 'ทางจักรยานรอบบึงแก่นนคร (ข้อมูลสังเคราะห์)',
    nameEn: 'Bueng Kaen Nakhon lake loop (synthetic)',
    kind: 'path',
    geometry: loop(102.836, 16.421, 0.0045, 0.004),
  },
  {
    nameTh: 'ช่องทางจักรยานถนนหน้าเมือง (ข้อมูลสังเคราะห์)',
    nameEn: 'Na Mueang Road painted lane (synthetic)',
    kind: 'painted',
    geometry: line([102.8335, 16.4255], [102.8337, 16.433], [102.834, 16.442]),
  },
  {
    nameTh: 'ทางจักรยานแยกจากถนน ศูนย์ราชการ (ข้อมูลสังเคราะห์)',
    nameEn: 'Government centre protected lane (synthetic)',
    kind: 'protected',
    geometry: line([102.823, 16.44], [102.819, 16.447], [102.815, 16.455]),
  },
  {
    nameTh: 'เส้นทางใช้ร่วมกับรถ ถนนมิตรภาพ (ข้อมูลสังเคราะห์)',
    nameEn: 'Mittraphap Road shared route (synthetic)',
    kind: 'shared',
    geometry: line([102.8215, 16.4], [102.822, 16.425], [102.823, 16.45]),
  },
];

const counterProfile = {
  name: 'Bicycle counter, JSON (synthetic demo)',
  decoder: { kind: 'json' as const, fields: [{ field: 'count', path: 'count' }] },
  quantities: [{ field: 'count', quantity: countQuantity, unit: 'C62' }],
  entityType: 'Device',
  synthetic: true,
};

/** Bicycles in one hour at the lake: commuting peaks at 7 and 17, more on weekend mornings (synthetic). */
export function demoCount(at: Date): number {
  const h = (at.getUTCHours() + 7) % 24;
  const weekday = new Date(at.getTime() + 7 * 3_600_000).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  const peak = (centre: number, height: number) => height * Math.exp(-((h - centre) ** 2) / 2);
  const base = h >= 5 && h <= 21 ? 6 : 1;
  return Math.round(base + peak(7, weekend ? 45 : 30) + peak(17, weekend ? 35 : 40));
}

/** Khon Kaen demo lanes and one bike counter with 30 days of hourly counts: SYNTHETIC. Safe to run twice. */
export async function seed({ db, offices }: SeedContext): Promise<void> {
  const repo = new CyclingRepository(db);
  const devices = new DeviceRepository(db);
  if ((await repo.laneCount()) > 0 || (await devices.profileByName(counterProfile.name))) return;
  const officeId = offices.get('engineering');
  const hour = 3_600_000;
  const now = Math.floor(Date.now() / hour) * hour;
  await db.transaction(async (tx) => {
    await repo.insertLanes(tx, demoLanes, 'Mueang demo data (synthetic)', true);
    if (!officeId) return;
    const [lon, lat] = [102.8405, 16.421];
    const place = await new OrgRepository(db).locate(lon, lat, tx);
    const profile = await devices.insertProfile(tx, counterProfile);
    const device = await devices.insertDevice(tx, {
      devEui: 'a84041000000cb01',
      name: 'Bike counter, Bueng Kaen Nakhon (synthetic)',
      profileId: profile.id,
      officeId,
      lon,
      lat,
      zoneCode: place?.zone.code ?? null,
      installedOn: '2026-01-15',
      tags: ['cycling', 'lake'],
      synthetic: true,
    });
    const rows: ReadingRow[] = [];
    for (let h = 30 * 24 - 1; h >= 0; h--) {
      const at = new Date(now - h * hour);
      rows.push({
        deviceId: device.id,
        observedAt: at.toISOString(),
        quantity: countQuantity,
        value: demoCount(at),
        fCnt: null,
      });
    }
    await devices.insertReadings(tx, rows);
  });
}
