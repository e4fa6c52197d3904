import { sql } from 'drizzle-orm';
import type { Db } from '../../core/db/index.ts';
import { DeviceRepository } from '../devices/repository.ts';
import { demoProfiles } from '../devices/seed.ts';
import type { RuleInput } from './model.ts';
import { RuleRepository } from './repository.ts';

type Demo = Omit<RuleInput, 'scope' | 'officeId'> & { profile: 0 | 1; office: string };

/**
 * SYNTHETIC demo rules on the synthetic Khon Kaen sensors (labelled so in their names). The PM2.5
 * line is Thailand's 24-hour standard of 37.5 µg/m³ (Pollution Control Department, 2023), used here
 * on hourly values held for an hour as a demo, not as the official averaging.
 */
export const demoRules: Demo[] = [
  {
    name: {
      th: 'PM2.5 เกิน 37.5 µg/m³ นาน 1 ชั่วโมง (ตัวอย่างสังเคราะห์)',
      en: 'PM2.5 above 37.5 µg/m³ for 1 hour (synthetic demo)',
    },
    profile: 0,
    office: 'health-environment',
    quantity: 'pm25',
    params: { kind: 'threshold', op: 'above', value: 37.5, forMinutes: 60, clearAt: 35 },
    category: 'health',
    urgency: 'expected',
    severity: 'moderate',
    certainty: 'observed',
  },
  {
    name: {
      th: 'ระดับน้ำในท่อระบายถึงขั้นเตือนภัย (ตัวอย่างสังเคราะห์)',
      en: 'Drain water level warning (synthetic demo)',
    },
    profile: 1,
    office: 'engineering',
    quantity: 'waterLevel',
    params: { kind: 'threshold', op: 'above', value: 1.5, forMinutes: 15, clearAt: 1.3 },
    category: 'met',
    urgency: 'immediate',
    severity: 'severe',
    certainty: 'observed',
  },
  {
    name: { th: 'ระดับน้ำขึ้นเร็ว (ตัวอย่างสังเคราะห์)', en: 'Water level rising fast (synthetic demo)' },
    profile: 1,
    office: 'engineering',
    quantity: 'waterLevel',
    params: { kind: 'rate', op: 'rise', perMinute: 0.01, windowMinutes: 30 },
    category: 'met',
    urgency: 'expected',
    severity: 'moderate',
    certainty: 'likely',
  },
  {
    name: {
      th: 'เครื่องวัดฝุ่นไม่ส่งข้อมูล 3 ชั่วโมง (ตัวอย่างสังเคราะห์)',
      en: 'Air sensor silent for 3 hours (synthetic demo)',
    },
    profile: 0,
    office: 'health-environment',
    quantity: 'pm25',
    params: { kind: 'noData', minutes: 180 },
    category: 'infra',
    urgency: 'expected',
    severity: 'minor',
    certainty: 'observed',
  },
];

/** Safe to run again: a synthetic rule of the same English name is left as it is. */
export async function seedRules(db: Db, offices: Map<string, string>): Promise<void> {
  const devices = new DeviceRepository(db);
  const repo = new RuleRepository(db);
  await db.transaction(async (tx) => {
    for (const r of demoRules) {
      const profile = await devices.profileByName(demoProfiles[r.profile].name, tx);
      const officeId = offices.get(r.office);
      if (!profile || !officeId) continue;
      const [exists] = await db.rows(
        sql`SELECT 1 FROM rule_rules WHERE synthetic AND name_en = ${r.name.en}`,
        tx,
      );
      if (exists) continue;
      const { profile: _, office: __, ...input } = r;
      await repo.insert(tx, { ...input, scope: { kind: 'profile', profileId: profile.id } }, officeId, true);
    }
  });
}
