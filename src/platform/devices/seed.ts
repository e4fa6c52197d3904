import type { Db } from '../../core/db/index.ts';
import { OrgRepository } from '../../core/org/repository.ts';
import { contextService } from '../context/service.ts';
import { entityOf } from '../ingestion/worker.ts';
import { DeviceRepository, type NewProfile, type ReadingRow } from './repository.ts';

export const demoProfiles: NewProfile[] = [
  {
    name: 'Air quality, Cayenne LPP (synthetic demo)',
    decoder: { kind: 'cayenne-lpp' },
    quantities: [
      { field: 'analog_input_1', quantity: 'pm25', unit: 'GQ' },
      { field: 'analog_input_2', quantity: 'pm10', unit: 'GQ' },
      { field: 'temperature_3', quantity: 'temperature', unit: 'CEL' },
      { field: 'humidity_4', quantity: 'relativeHumidity', unit: 'P1' },
    ],
    entityType: 'AirQualityObserved',
    synthetic: true,
  },
  {
    name: 'Water level, byte layout (synthetic demo)',
    decoder: {
      kind: 'bytes',
      fields: [
        {
          field: 'level_mm',
          offset: 0,
          length: 2,
          signed: false,
          endianness: 'big',
          scale: 0.001,
          unit: 'MTR',
        },
        { field: 'battery_pct', offset: 2, length: 1, signed: false, endianness: 'big', unit: 'P1' },
      ],
    },
    quantities: [
      { field: 'level_mm', quantity: 'waterLevel', unit: 'MTR' },
      { field: 'battery_pct', quantity: 'battery', unit: 'P1' },
    ],
    entityType: 'WaterObserved',
    synthetic: true,
  },
];

/** [DevEUI, name, profile index, office code, lon, lat, tags, base value] */
export const demoDevices: [string, string, number, string, number, number, string[], number][] = [
  [
    'a84041000000c001',
    'PM2.5 Bueng Kaen Nakhon (synthetic)',
    0,
    'health-environment',
    102.835,
    16.425,
    ['air', 'lake'],
    32,
  ],
  ['a84041000000c002', 'PM2.5 city hall (synthetic)', 0, 'health-environment', 102.81, 16.45, ['air'], 41],
  [
    'a84041000000c003',
    'PM2.5 south-east market (synthetic)',
    0,
    'health-environment',
    102.86,
    16.4,
    ['air', 'market'],
    48,
  ],
  [
    'a84041000000d001',
    'Drain level, north canal (synthetic)',
    1,
    'engineering',
    102.82,
    16.44,
    ['flood'],
    0.6,
  ],
  [
    'a84041000000d002',
    'Drain level, lake outlet (synthetic)',
    1,
    'engineering',
    102.84,
    16.42,
    ['flood', 'lake'],
    1.1,
  ],
];

/**
 * Khon Kaen demo sensors: SYNTHETIC devices, profiles and a day of hourly readings, labelled so.
 * Safe to run twice (does nothing when the demo profiles exist).
 */
export async function seedDevices(db: Db, offices: Map<string, string>): Promise<void> {
  const repo = new DeviceRepository(db);
  if (await repo.profileByName(demoProfiles[0].name)) return;
  const org = new OrgRepository(db);
  const context = contextService(db);
  const hour = 3600_000;
  const now = Math.floor(Date.now() / hour) * hour;
  await db.transaction(async (tx) => {
    const created = [];
    for (const p of demoProfiles) created.push(await repo.insertProfile(tx, p));
    for (const [devEui, name, pi, office, lon, lat, tags, base] of demoDevices) {
      const officeId = offices.get(office);
      if (!officeId) continue;
      const place = await org.locate(lon, lat, tx);
      const d = await repo.insertDevice(tx, {
        devEui,
        name,
        profileId: created[pi].id,
        officeId,
        lon,
        lat,
        zoneCode: place?.zone.code ?? null,
        installedOn: '2026-01-15',
        tags,
        synthetic: true,
      });
      const rows: ReadingRow[] = [];
      let last: { quantity: string; value: number; unit?: string }[] = [];
      for (let h = 23; h >= 0; h--) {
        const t = now - h * hour;
        const hourOfDay = new Date(t).getUTCHours() + 7;
        // A diurnal curve: dust peaks in the morning and evening traffic, water rises slowly after rain.
        const wave = Math.sin(((hourOfDay % 24) / 24) * 2 * Math.PI * 2);
        const values =
          pi === 0
            ? [
                { quantity: 'pm25', value: round(base + 12 * wave), unit: 'GQ' },
                { quantity: 'pm10', value: round(base * 1.6 + 15 * wave), unit: 'GQ' },
                {
                  quantity: 'temperature',
                  value: round(28 + 5 * Math.sin(((hourOfDay - 9) / 24) * 2 * Math.PI)),
                  unit: 'CEL',
                },
                { quantity: 'relativeHumidity', value: round(65 - 15 * wave), unit: 'P1' },
              ]
            : [
                { quantity: 'waterLevel', value: round(base + (0.05 * (23 - h)) / 23), unit: 'MTR' },
                { quantity: 'battery', value: 87, unit: 'P1' },
              ];
        for (const v of values)
          rows.push({
            deviceId: d.id,
            observedAt: new Date(t).toISOString(),
            quantity: v.quantity,
            value: v.value,
            fCnt: 24 - h,
          });
        last = values;
      }
      await repo.insertReadings(tx, rows);
      const seenAt = new Date(now).toISOString();
      await repo.updateLinks(tx, [
        { deviceId: d.id, seenAt, fCnt: 24, rssi: -85, snr: 6.5, battery: pi === 1 ? 87 : null },
      ]);
      await context.publish(
        tx,
        entityOf(
          {
            deviceId: d.id,
            devEui,
            name,
            lon,
            lat,
            decoder: created[pi].decoder,
            quantities: created[pi].quantities,
            entityType: created[pi].entityType,
          },
          { devEui, fCnt: 24, time: seenAt, data: null, object: undefined, rssi: -85, snr: 6.5 },
          last,
        ),
      );
    }
  });
}

const round = (n: number) => Math.round(n * 100) / 100;
