import { sql } from 'drizzle-orm';
import { systemActor } from '../../core/audit/audit.ts';
import type { SeedContext } from '../../core/modules.ts';
import { seedDefaultRates } from './rate-years.ts';
import { TaxService } from './service.ts';

/**
 * SYNTHETIC Khon Kaen tax register: invented owners, deeds, values and signs, labelled synthetic in
 * the data. The demo citizen (national ID 1101700230708, also synthetic) owns a home and a shop sign.
 */
export async function seed({ db }: SeedContext): Promise<void> {
  // Before the early return, so a demo made before rates were data gets them too.
  await seedDefaultRates(db.orm);
  const [exists] = await db.rows(sql`SELECT 1 FROM tax_owners LIMIT 1`);
  if (exists) return;
  const service = new TaxService(db, { billerId: '099400000000000' });
  const actor = { ...systemActor, label: 'demo-seed' };
  const repo = service.repo;
  await db.transaction(async (tx) => {
    const citizen = await repo.insertOwner(tx, {
      kind: 'person',
      taxId: '1101700230708',
      name: 'สมชาย ใจดี (ข้อมูลสังเคราะห์)',
      synthetic: true,
    });
    const company = await repo.insertOwner(tx, {
      kind: 'juristic',
      taxId: '0105550000015',
      name: 'บริษัท ขอนแก่นตัวอย่าง จำกัด (ข้อมูลสังเคราะห์)',
      synthetic: true,
    });
    const farmer = await repo.insertOwner(tx, {
      kind: 'person',
      taxId: '3990100000122',
      name: 'นางบุญมี ทำนา (ข้อมูลสังเคราะห์)',
      synthetic: true,
    });
    const home = await repo.insertParcel(tx, {
      ownerId: citizen,
      deedKind: 'chanote',
      deedNo: 'SYN-12345',
      areaM2: 400,
      valuePerM2: 12_000,
      zoneCode: 'zone-1',
      uses: [{ use: 'residential', sharePercent: 100, mainHome: 'land-and-building' }],
      location: { lon: 102.818, lat: 16.445 },
      synthetic: true,
    });
    await repo.insertBuilding(tx, home, {
      kind: 'house',
      floorAreaM2: 180,
      costPerM2Baht: 9_000,
      ageYears: 12,
      depreciationPercent: 24,
    });
    const shop = await repo.insertParcel(tx, {
      ownerId: company,
      deedKind: 'chanote',
      deedNo: 'SYN-20001',
      areaM2: 1_600,
      valuePerM2: 45_000,
      zoneCode: 'zone-2',
      uses: [
        { use: 'other', sharePercent: 80 },
        { use: 'residential', sharePercent: 20 },
      ],
      location: { lon: 102.842, lat: 16.433 },
      synthetic: true,
    });
    await repo.insertBuilding(tx, shop, {
      kind: 'shophouse',
      floorAreaM2: 2_400,
      costPerM2Baht: 12_500,
      ageYears: 5,
      depreciationPercent: 7,
    });
    await repo.insertParcel(tx, {
      ownerId: farmer,
      deedKind: 'ns3k',
      deedNo: 'SYN-30077',
      areaM2: 16_000,
      valuePerM2: 1_500,
      zoneCode: 'zone-3',
      uses: [{ use: 'agriculture', sharePercent: 100 }],
      location: { lon: 102.806, lat: 16.396 },
      synthetic: true,
    });
    await repo.insertParcel(tx, {
      ownerId: company,
      deedKind: 'chanote',
      deedNo: 'SYN-20002',
      areaM2: 3_200,
      valuePerM2: 20_000,
      zoneCode: 'zone-4',
      uses: [{ use: 'vacant', sharePercent: 100, vacantYears: 4 }],
      location: { lon: 102.861, lat: 16.401 },
      synthetic: true,
    });
    await repo.insertSign(tx, {
      ownerId: citizen,
      widthCm: 120,
      heightCm: 80,
      type: 1,
      moving: false,
      text: 'ร้านก๋วยเตี๋ยวสมชาย (สังเคราะห์)',
      zoneCode: null,
      synthetic: true,
    });
    await repo.insertSign(tx, {
      ownerId: company,
      widthCm: 400,
      heightCm: 250,
      type: 2,
      moving: true,
      text: 'KHON KAEN SAMPLE CO. ขอนแก่นตัวอย่าง (synthetic)',
      zoneCode: null,
      synthetic: true,
    });
  });
  await service.runAssessment(2569, actor);
}
