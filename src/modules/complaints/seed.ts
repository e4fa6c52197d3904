import { systemActor } from '../../core/audit/audit.ts';
import type { SeedContext } from '../../core/modules.ts';
import { HolidaysRepository } from './holidays.ts';
import { holidaySource, holidays2569 } from './holidays-2569.ts';
import { ComplaintsModeration } from './moderation.ts';
import { hashKey } from './open311.ts';
import { ComplaintsRepository } from './repository.ts';
import { ComplaintsService } from './service.ts';

/**
 * Khon Kaen demo categories. The kinds of problem are the everyday ones of a Thai city; the owning
 * offices follow the bureaux of Khon Kaen City Municipality, but the SLA hours are SYNTHETIC
 * (illustrative, not the city's published service standards).
 */
export const demoCategories = [
  {
    code: 'road-damage',
    nameTh: 'ถนนชำรุด/หลุมบ่อ',
    nameEn: 'Road damage or pothole',
    icon: 'road',
    office: 'engineering',
    slaHours: 72,
  },
  {
    code: 'street-light',
    nameTh: 'ไฟฟ้าส่องสว่างดับ',
    nameEn: 'Street light out',
    icon: 'lightbulb',
    office: 'engineering',
    slaHours: 48,
  },
  {
    code: 'flooding',
    nameTh: 'น้ำท่วมขัง/ท่อระบายน้ำอุดตัน',
    nameEn: 'Flooding or blocked drain',
    icon: 'water',
    office: 'engineering',
    slaHours: 24,
  },
  {
    code: 'footpath',
    nameTh: 'ทางเท้าชำรุด/สิ่งกีดขวางทางเท้า',
    nameEn: 'Broken or blocked footpath',
    icon: 'footpath',
    office: 'engineering',
    slaHours: 120,
  },
  {
    code: 'garbage',
    nameTh: 'ขยะตกค้าง/ไม่มีการเก็บขยะ',
    nameEn: 'Garbage not collected',
    icon: 'trash',
    office: 'health-environment',
    slaHours: 24,
  },
  {
    code: 'noise',
    nameTh: 'เสียงดังรบกวน',
    nameEn: 'Noise nuisance',
    icon: 'volume',
    office: 'health-environment',
    slaHours: 72,
  },
  {
    code: 'stray-animals',
    nameTh: 'สุนัข/แมวจรจัด',
    nameEn: 'Stray dogs or cats',
    icon: 'paw',
    office: 'health-environment',
    slaHours: 120,
  },
  {
    code: 'smell-smoke',
    nameTh: 'กลิ่นเหม็น/ควัน/การเผาขยะ',
    nameEn: 'Bad smell, smoke or open burning',
    icon: 'smoke',
    office: 'health-environment',
    slaHours: 48,
  },
  {
    code: 'trees',
    nameTh: 'ต้นไม้ล้ม/กิ่งไม้กีดขวาง',
    nameEn: 'Fallen tree or branches',
    icon: 'tree',
    office: 'engineering',
    slaHours: 48,
  },
  {
    code: 'other',
    nameTh: 'เรื่องร้องเรียนอื่น ๆ',
    nameEn: 'Other complaint or request',
    icon: 'message',
    office: 'clerk',
    slaHours: 120,
  },
] as const;

export const demoOpen311Key = 'demo-open311-key';

/** Synthetic demo reports, placed inside the demo zones (lon 102.80–102.87, lat 16.39–16.46). */
const demoRequests = [
  { category: 'road-damage', lat: 16.432, lon: 102.823, description: 'หลุมบ่อขนาดใหญ่หน้าซอย (ข้อมูลตัวอย่าง)' },
  { category: 'street-light', lat: 16.441, lon: 102.851, description: 'ไฟถนนดับ 3 ต้นติดกัน (ข้อมูลตัวอย่าง)' },
  { category: 'flooding', lat: 16.405, lon: 102.812, description: 'ท่อระบายน้ำอุดตัน ฝนตกแล้วน้ำขัง (ข้อมูลตัวอย่าง)' },
  { category: 'garbage', lat: 16.418, lon: 102.86, description: 'ขยะไม่ได้เก็บมา 3 วัน (ข้อมูลตัวอย่าง)' },
  {
    category: 'stray-animals',
    lat: 16.447,
    lon: 102.806,
    description: 'สุนัขจรจัดหลายตัวหน้าโรงเรียน (ข้อมูลตัวอย่าง)',
  },
  { category: 'other', lat: 16.425, lon: 102.835, description: 'สอบถามการขออนุญาตจัดงาน (ข้อมูลตัวอย่าง)' },
];

/** Idempotent: categories are added when missing, the demo reports when there are no reports at all. */
export async function seed({ db, offices }: SeedContext): Promise<void> {
  const repo = new ComplaintsRepository(db);
  await db.transaction(async (tx) => {
    for (const c of demoCategories) {
      const officeId = offices.get(c.office);
      if (!officeId) throw new Error(`demo office ${c.office} is missing`);
      await repo.upsertCategory(tx, { ...c, officeId, synthetic: true });
    }
    // Before any demo request, so their due times skip these days; a day already there is kept as is.
    const holidays = new HolidaysRepository(db);
    for (const h of holidays2569) await holidays.add(tx, { ...h, source: holidaySource, synthetic: false });
  });
  const service = new ComplaintsService(db);
  const actor = { ...systemActor, label: 'demo-seed' };
  // The README's demo Open311 key; it exists only where demo data is on.
  if (!(await service.integratorByKeyHash(hashKey(demoOpen311Key))))
    await service.issueKey('Demo integrator (ตัวอย่าง)', actor, demoOpen311Key, true);
  if ((await repo.count()) > 0) return;
  // The demo requests' public text is approved as the masked description, as staff would, so the
  // public map, list and "+1" offer show what a running city shows.
  const moderation = new ComplaintsModeration(db);
  for (const r of demoRequests) {
    const { category, lat, lon, description } = r;
    const created = await service.create(
      { category, lat, lon, description },
      { userId: null, contact: { name: 'ผู้แจ้งตัวอย่าง', phone: '0800000000' }, synthetic: true },
      actor,
    );
    await moderation.decide(created.reference, { action: 'approve' }, null, null, actor);
  }
}
