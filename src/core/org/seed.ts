import { sql } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { OrgRepository } from './repository.ts';

/**
 * Khon Kaen City Municipality (เทศบาลนครขอนแก่น). Office names follow the bureaux of a Thai city
 * municipality (เทศบาลนคร) as the municipality publishes them; the zone and community polygons are
 * SYNTHETIC (a regular grid over the city centre), labelled so in the data.
 */
export const demoOffices = [
  {
    code: 'clerk',
    nameTh: 'สำนักปลัดเทศบาล',
    nameEn: 'Office of the Municipal Clerk',
    services: ['general-administration', 'disaster-prevention', 'complaints'],
  },
  {
    code: 'finance',
    nameTh: 'สำนักการคลัง',
    nameEn: 'Finance Bureau',
    services: ['local-taxes', 'revenue', 'payments'],
  },
  {
    code: 'engineering',
    nameTh: 'สำนักการช่าง',
    nameEn: 'Engineering Bureau',
    services: ['roads', 'drainage', 'street-lighting', 'building-permits'],
  },
  {
    code: 'health-environment',
    nameTh: 'สำนักการสาธารณสุขและสิ่งแวดล้อม',
    nameEn: 'Public Health and Environment Bureau',
    services: ['waste', 'air-quality', 'public-health'],
  },
  {
    code: 'education',
    nameTh: 'สำนักการศึกษา',
    nameEn: 'Education Bureau',
    services: ['municipal-schools', 'lifelong-learning'],
  },
  {
    code: 'social-welfare',
    nameTh: 'สำนักการสวัสดิการสังคม',
    nameEn: 'Social Welfare Bureau',
    services: ['elderly', 'disability', 'community-development'],
  },
  {
    code: 'strategy',
    nameTh: 'กองยุทธศาสตร์และงบประมาณ',
    nameEn: 'Strategy and Budget Division',
    services: ['planning', 'smart-city', 'open-data'],
  },
  { code: 'personnel', nameTh: 'กองการเจ้าหน้าที่', nameEn: 'Personnel Division', services: ['human-resources'] },
] as const;

const west = 102.8;
const east = 102.87;
const south = 16.39;
const north = 16.46;
const midLon = (west + east) / 2;
const midLat = (south + north) / 2;

const box = (w: number, s: number, e: number, n: number): GeoJSON.Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ].map(([x, y]) => [round(x), round(y)]),
  ],
});
const round = (v: number) => Math.round(v * 1e6) / 1e6;

// Neighbourhood names of central Khon Kaen, used as labels for the synthetic community polygons.
const communityNames: [string, string][][] = [
  [
    ['โนนชัย', 'Non Chai'],
    ['หนองแวงตราชู', 'Nong Waeng Trachu'],
    ['ศรีจันทร์', 'Si Chan'],
    ['คุ้มวุฒาราม', 'Khum Wutharam'],
  ],
  [
    ['เทพารักษ์', 'Thepharak'],
    ['สามเหลี่ยม', 'Sam Liam'],
    ['มิตรภาพ', 'Mittraphap'],
    ['หลังศูนย์ราชการ', 'Lang Sun Ratchakan'],
  ],
  [
    ['โนนทัน', 'Non Than'],
    ['บ้านเป็ด', 'Ban Pet'],
    ['หนองใหญ่', 'Nong Yai'],
    ['ประชาสโมสร', 'Pracha Samosorn'],
  ],
  [
    ['บึงแก่นนคร', 'Bueng Kaen Nakhon'],
    ['โนนหนองวัด', 'Non Nong Wat'],
    ['ตลาดบางลำภู', 'Talat Bang Lamphu'],
    ['รถไฟ', 'Rot Fai'],
  ],
];

export function demoZones() {
  const quadrants = [
    [west, midLat, midLon, north],
    [midLon, midLat, east, north],
    [west, south, midLon, midLat],
    [midLon, south, east, midLat],
  ];
  return quadrants.map(([w, s, e, n], i) => {
    const cw = (e - w) / 2;
    const ch = (n - s) / 2;
    const communities = [0, 1, 2, 3].map((j) => {
      const cx = w + (j % 2) * cw;
      const cy = s + Math.floor(j / 2) * ch;
      const [th, en] = communityNames[i][j];
      return {
        code: `z${i + 1}-c${j + 1}`,
        nameTh: `ชุมชน${th}`,
        nameEn: `${en} Community`,
        geometry: box(cx, cy, cx + cw, cy + ch),
        synthetic: true,
      };
    });
    return {
      code: `zone-${i + 1}`,
      nameTh: `เขต ${i + 1}`,
      nameEn: `Zone ${i + 1}`,
      geometry: box(w, s, e, n),
      synthetic: true,
      communities,
    };
  });
}

/** Idempotent: offices are added when missing, the demo areas when there are none. Returns office ids by code. */
export async function seedOrganisation(db: Db): Promise<Map<string, string>> {
  const repo = new OrgRepository(db);
  return db.transaction(async (tx) => {
    const ids = new Map<string, string>();
    for (const o of demoOffices) {
      const existing = await repo.officeByCode(o.code, tx);
      const office =
        existing ??
        (await repo.insertOffice(tx, {
          ...o,
          kind: o.code === 'strategy' || o.code === 'personnel' ? 'division' : 'office',
          parentId: null,
          services: [...o.services],
        }));
      ids.set(o.code, office.id);
    }
    // Areas already there are left alone: rewriting their polygons on every start costs start-up time.
    const [existing] = await db.rows(sql`SELECT 1 FROM core_zones LIMIT 1`, tx);
    if (!existing) {
      for (const z of demoZones()) {
        const zoneId = await repo.upsertZone(tx, z);
        for (const c of z.communities) await repo.upsertCommunity(tx, zoneId, c);
      }
    }
    return ids;
  });
}
