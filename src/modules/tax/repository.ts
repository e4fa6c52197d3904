import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../../core/db/index.ts';
import type { Building, Sign, UsePart, WorkingLine } from './assessment.ts';
import { boundarySql, type Polygons } from './boundary.ts';
import type { SignFiling } from './filing.ts';
import type { BuildingCostRowInput } from './import.ts';

/** Where a value came from when the parcel or building has none of its own: the imported table's row. */
export interface AppraisalSource {
  firstYear: number;
  lastYear: number;
  deedKind: string | null;
  deedNo: string | null;
  zone: string | null;
  block: string | null;
}
export interface DepreciationSource {
  buildingType: string;
  ageFrom: number;
}
export interface BuildingCostSource {
  firstYear: number;
  lastYear: number;
  buildingType: string;
  buildingTypeEn: string | null;
  code: string | null;
}

export interface ParcelForAssessment {
  id: string;
  ownerId: string;
  deedKind: string;
  deedNo: string;
  ownerKind: 'person' | 'juristic';
  areaM2: number;
  /** The parcel's own value, else the appraisal table's (with `appraisal` saying which row), else null. */
  valuePerM2: number | null;
  appraisal: AppraisalSource | null;
  uses: UsePart[];
  buildings: (Omit<Building, 'depreciationPercent' | 'costPerM2Baht'> & {
    kind: string;
    /** The building's own cost per m², else the building appraisal's (with `cost` saying which row), else null. */
    costPerM2Baht: number | null;
    cost: BuildingCostSource | null;
    depreciationPercent: number | null;
    depreciation: DepreciationSource | null;
  })[];
}

/** Where a page of `parcelsForAssessment` starts: after this owner's parcel. */
export interface ParcelKey {
  ownerId: string;
  id: string;
}
const nil = '00000000-0000-0000-0000-000000000000';
/** Before every parcel of the register. */
export const registerStart: ParcelKey = { ownerId: nil, id: nil };

/** One bill for `insertBills`, as the JSON text of a row of its `json_to_recordset`. */
export function billRecord(ownerId: string, subjectId: string, amountSatang: number, working: WorkingLine[]) {
  return JSON.stringify({
    owner_id: ownerId,
    subject_id: subjectId,
    amount: amountSatang,
    working: working.map((l) => ({ th: l.text.th, en: l.text.en, satang: l.satang })),
  });
}

/**
 * A page of bills for `insertBills` as one JSON array, written bill by bill as UTF-8 into a buffer
 * kept from page to page (outside the JS heap): each bill's objects and text are garbage before the
 * next bill, so V8 collects them young, and the page's bills never reach it as one string, nor as a list
 * of texts that outlives the page's computation (docs/benchmarks.md, issue 7).
 */
export class BillBatch {
  #buffer = Buffer.allocUnsafeSlow(1 << 20);
  #length = 0;
  count = 0;

  add(record: string): void {
    // At most 3 bytes of UTF-8 per UTF-16 unit, and the separator.
    const need = this.#length + record.length * 3 + 2;
    if (need > this.#buffer.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(need, this.#buffer.length * 2));
      this.#buffer.copy(bigger, 0, 0, this.#length);
      this.#buffer = bigger;
    }
    this.#buffer[this.#length++] = this.count++ === 0 ? 0x5b : 0x2c; // "[" before the first, "," between
    this.#length += this.#buffer.write(record, this.#length, 'utf8');
  }

  /**
   * The JSON array of the bills added since the last call, as UTF-8 (a view of the buffer, valid until
   * the next `add`); the batch is empty again after it. Both drivers send bytes for a json parameter
   * in the binary format, which for json is the text itself (src/core/db/index.ts for PGlite).
   */
  take(): Buffer {
    if (this.count === 0) return Buffer.from('[]');
    this.#buffer[this.#length++] = 0x5d; // "]"
    const json = this.#buffer.subarray(0, this.#length);
    this.#length = 0;
    this.count = 0;
    return json;
  }
}

/** The fields staff may correct, as the API names them. */
export interface ParcelEditable {
  ownerTaxId: string;
  areaM2: number;
  valuePerM2Baht: number | null;
  appraisalZone: string | null;
  appraisalBlock: string | null;
  uses: UsePart[];
  /** The outline as stored (GeoJSON MultiPolygon), or null. */
  boundary: { type: 'MultiPolygon'; coordinates: Polygons } | null;
}
export interface BuildingEditable {
  buildingNo: string | null;
  kind: string;
  floorAreaM2: number;
  costPerM2Baht: number | null;
  ageYears: number;
  depreciationPercent: number | null;
}
export interface OwnerEditable {
  kind: 'person' | 'juristic';
  taxId: string;
  name: string;
  address: string | null;
}
export interface SignEditable {
  ownerTaxId: string;
  widthCm: number;
  heightCm: number;
  type: 1 | 2 | 3;
  textLanguage: 'thai-only' | 'thai-mixed' | 'no-thai-or-thai-below';
  moving: boolean;
  text: string | null;
  /** Where it stands; its zone follows the point (null clears both). */
  location: { lon: number; lat: number } | null;
}

export interface SignForAssessment extends SignFiling {
  id: string;
  ownerId: string;
  widthCm: number;
  heightCm: number;
  type: 1 | 2 | 3;
  moving: boolean;
}

export interface InstalmentRow {
  id: string;
  seq: number;
  number: string;
  amountSatang: number;
  dueDate: string;
  status: 'open' | 'paid';
  paidAt: string | null;
}

export interface BillRow {
  id: string;
  number: string;
  taxYear: number;
  taxKind: 'land-building' | 'sign';
  ownerId: string;
  ownerName: string;
  ownerTaxId: string;
  /** The owner's name when the bill was paid (its receipt's); null until then. */
  payerName: string | null;
  amountSatang: number;
  status: 'open' | 'nothing_due' | 'paid' | 'cancelled';
  dueDate: string;
  paidAt: string | null;
  working: { th: string; en: string; satang: number }[];
  /** Late charges paid with the bill (its instalments' together); 0 until then. */
  surchargePaidSatang: number;
  penaltyPaidSatang: number;
  /** The reminder sent for the bill (migration 0020), YYYY-MM-DD; null when none was sent. */
  reminderSentOn: string | null;
  reminderDeadline: string | null;
}

export interface BillFilter {
  year?: number;
  status?: string;
  kind?: string;
  number?: string;
  owner?: string;
  limit: number;
  offset: number;
}

const billColumns = sql`b.id, b.number, b.tax_year AS "taxYear", b.tax_kind AS "taxKind", b.owner_id AS "ownerId",
  o.name AS "ownerName", o.tax_id AS "ownerTaxId", b.payer_name AS "payerName", b.amount_satang::float8 AS "amountSatang", b.status,
  to_char(b.due_date, 'YYYY-MM-DD') AS "dueDate", b.paid_at AS "paidAt", b.working,
  b.surcharge_paid_satang::float8 AS "surchargePaidSatang", b.penalty_paid_satang::float8 AS "penaltyPaidSatang",
  (SELECT to_char(r.sent_on, 'YYYY-MM-DD') FROM tax_bill_reminders r WHERE r.bill_id = b.id) AS "reminderSentOn",
  (SELECT to_char(r.deadline, 'YYYY-MM-DD') FROM tax_bill_reminders r WHERE r.bill_id = b.id) AS "reminderDeadline"`;

const point = (p?: { lon: number; lat: number }) =>
  p ? sql`ST_SetSRID(ST_MakePoint(${p.lon}, ${p.lat}), 4326)` : sql`NULL`;

/** SQL for local taxes: the register's writes, assessment, bills and payments (browsing and correcting the register: register-repository.ts). */
export class TaxRepository {
  constructor(private readonly db: Db) {}

  async insertOwner(
    on: Executor,
    o: { kind: string; taxId: string; name: string; address?: string; synthetic?: boolean },
  ) {
    const [row] = await this.db.rows<{ id: string }>(
      sql`INSERT INTO tax_owners (kind, tax_id, name, address, synthetic) VALUES (${o.kind}, ${o.taxId}, ${o.name}, ${o.address ?? null}, ${o.synthetic ?? false})
        RETURNING id`,
      on,
    );
    return row.id;
  }

  async ownerIdByTaxId(taxId: string, on?: Executor): Promise<string | undefined> {
    const [row] = await this.db.rows<{ id: string }>(
      sql`SELECT id FROM tax_owners WHERE tax_id = ${taxId}`,
      on,
    );
    return row?.id;
  }

  async insertParcel(
    on: Executor,
    p: {
      ownerId: string;
      deedKind: string;
      deedNo: string;
      areaM2: number;
      valuePerM2: number | null;
      appraisalZone?: string;
      appraisalBlock?: string;
      uses: UsePart[];
      location?: { lon: number; lat: number };
      /** An outline that passed boundary.ts's checks. */
      boundary?: Polygons;
      zoneCode: string | null;
      synthetic?: boolean;
    },
  ) {
    const [row] = await this.db.rows<{ id: string }>(
      sql`INSERT INTO tax_parcels (owner_id, deed_kind, deed_no, area_m2, value_per_m2, appraisal_zone, appraisal_block, uses, location, zone_code, synthetic, boundary)
        VALUES (${p.ownerId}, ${p.deedKind}, ${p.deedNo}, ${p.areaM2}, ${p.valuePerM2}, ${p.appraisalZone ?? null}, ${p.appraisalBlock ?? null},
          ${JSON.stringify(p.uses)}::jsonb, ${point(p.location)}, ${p.zoneCode}, ${p.synthetic ?? false},
          ${p.boundary ? boundarySql(p.boundary) : sql`NULL`})
        RETURNING id`,
      on,
    );
    return row.id;
  }

  async insertBuilding(
    on: Executor,
    parcelId: string,
    b: Omit<Building, 'depreciationPercent' | 'costPerM2Baht'> & {
      kind: string;
      buildingNo?: string;
      costPerM2Baht?: number | null;
      depreciationPercent?: number | null;
    },
  ): Promise<string> {
    const [row] = await this.db.rows<{ id: string }>(
      sql`INSERT INTO tax_buildings (parcel_id, kind, floor_area_m2, cost_per_m2, age_years, depreciation_percent, building_no)
      VALUES (${parcelId}, ${b.kind}, ${b.floorAreaM2}, ${b.costPerM2Baht ?? null}, ${b.ageYears}, ${b.depreciationPercent ?? null}, ${b.buildingNo ?? null})
      RETURNING id`,
      on,
    );
    return row.id;
  }

  async parcelIdByDeed(deedKind: string, deedNo: string, on?: Executor): Promise<string | undefined> {
    const [row] = await this.db.rows<{ id: string }>(
      sql`SELECT id FROM tax_parcels WHERE deed_kind = ${deedKind} AND deed_no = ${deedNo}`,
      on,
    );
    return row?.id;
  }

  async buildingIdByNo(parcelId: string, buildingNo: string, on?: Executor): Promise<string | undefined> {
    const [row] = await this.db.rows<{ id: string }>(
      sql`SELECT id FROM tax_buildings WHERE parcel_id = ${parcelId} AND building_no = ${buildingNo}`,
      on,
    );
    return row?.id;
  }

  /**
   * Adds or replaces one row of a round's appraisal; answers nothing when the row was already written
   * by this same import (the file names it twice).
   */
  async upsertAppraisal(
    on: Executor,
    a: {
      roundFrom: number;
      roundTo: number;
      deedKind?: string;
      deedNo?: string;
      zone?: string;
      block?: string;
      valuePerM2Baht: number;
    },
    importId: string,
  ): Promise<string | undefined> {
    const [row] = await this.db.rows<{ id: string }>(
      sql`INSERT INTO tax_appraisals (first_year, last_year, deed_kind, deed_no, zone, block, value_per_m2, import_id)
        VALUES (${a.roundFrom}, ${a.roundTo}, ${a.deedKind ?? null}, ${a.deedNo ?? null}, ${a.zone ?? null}, ${a.block ?? null},
          ${a.valuePerM2Baht}, ${importId})
        ON CONFLICT (first_year, last_year, COALESCE(deed_kind, ''), COALESCE(deed_no, ''), COALESCE(zone, ''), COALESCE(block, ''))
        DO UPDATE SET value_per_m2 = EXCLUDED.value_per_m2, import_id = EXCLUDED.import_id
        WHERE tax_appraisals.import_id IS DISTINCT FROM EXCLUDED.import_id
        RETURNING id`,
      on,
    );
    return row?.id;
  }

  async upsertDepreciation(
    on: Executor,
    d: { buildingType: string; ageFrom: number; depreciationPercent: number },
    importId: string,
  ): Promise<string | undefined> {
    const [row] = await this.db.rows<{ id: string }>(
      sql`INSERT INTO tax_depreciation (building_type, age_from, depreciation_percent, import_id)
        VALUES (${d.buildingType}, ${d.ageFrom}, ${d.depreciationPercent}, ${importId})
        ON CONFLICT (type_key, age_from)
        DO UPDATE SET building_type = EXCLUDED.building_type, depreciation_percent = EXCLUDED.depreciation_percent,
          import_id = EXCLUDED.import_id
        WHERE tax_depreciation.import_id IS DISTINCT FROM EXCLUDED.import_id
        RETURNING id`,
      on,
    );
    return row?.id;
  }

  /**
   * The type that already holds `code` in the round, if another one does (a code names one type); codes
   * and types compare by their normalised keys, as the assessment matches them.
   */
  async buildingCostCodeHolder(on: Executor, c: BuildingCostRowInput): Promise<string | undefined> {
    if (c.code === undefined) return undefined;
    const [row] = await this.db.rows<{ type: string }>(
      sql`SELECT building_type AS type FROM tax_building_costs WHERE first_year = ${c.roundFrom}
        AND last_year = ${c.roundTo} AND code_key = tax_type_key(${c.code})
          AND type_key <> tax_type_key(${c.buildingType})`,
      on,
    );
    return row?.type;
  }

  async upsertBuildingCost(
    on: Executor,
    c: BuildingCostRowInput,
    importId: string,
  ): Promise<string | undefined> {
    const [row] = await this.db.rows<{ id: string }>(
      sql`INSERT INTO tax_building_costs (first_year, last_year, building_type, code, cost_per_m2, building_type_en, note, import_id)
        VALUES (${c.roundFrom}, ${c.roundTo}, ${c.buildingType}, ${c.code ?? null}, ${c.costPerM2Baht},
          ${c.buildingTypeEn ?? null}, ${c.note ?? null}, ${importId})
        ON CONFLICT (first_year, last_year, type_key)
        DO UPDATE SET building_type = EXCLUDED.building_type, code = EXCLUDED.code, cost_per_m2 = EXCLUDED.cost_per_m2, building_type_en = EXCLUDED.building_type_en,
          note = EXCLUDED.note, import_id = EXCLUDED.import_id
        WHERE tax_building_costs.import_id IS DISTINCT FROM EXCLUDED.import_id
        RETURNING id`,
      on,
    );
    return row?.id;
  }

  /** Whether the owner already has a sign of this size, type, text and place (not rejected). */
  async sameSignExists(
    on: Executor,
    s: {
      ownerId: string;
      widthCm: number;
      heightCm: number;
      type: number;
      moving: boolean;
      text?: string;
      location?: { lon: number; lat: number };
    },
  ): Promise<boolean> {
    const rows = await this.db.rows(
      sql`SELECT 1 FROM tax_signs WHERE owner_id = ${s.ownerId} AND width_cm = ${s.widthCm} AND height_cm = ${s.heightCm}
        AND sign_type = ${s.type} AND moving = ${s.moving} AND text_content IS NOT DISTINCT FROM ${s.text ?? null}
        AND ${s.location ? sql`ST_Equals(location, ${point(s.location)})` : sql`location IS NULL`}
        AND status <> 'rejected' LIMIT 1`,
      on,
    );
    return rows.length > 0;
  }

  async insertSign(
    on: Executor,
    s: {
      ownerId: string;
      widthCm: number;
      heightCm: number;
      type: number;
      moving: boolean;
      text?: string;
      location?: { lon: number; lat: number };
      /** The zone the point lies in (OrgRepository.locate), for the reports by zone. */
      zoneCode: string | null;
      synthetic?: boolean;
      unfiledYear?: number;
    },
  ) {
    const [row] = await this.db.rows<{ id: string }>(
      sql`INSERT INTO tax_signs (owner_id, width_cm, height_cm, sign_type, moving, text_content, location, zone_code, synthetic, unfiled_year)
        VALUES (${s.ownerId}, ${s.widthCm}, ${s.heightCm}, ${s.type}, ${s.moving}, ${s.text ?? null}, ${point(s.location)}, ${s.zoneCode}, ${s.synthetic ?? false},
          ${s.unfiledYear ?? null})
        RETURNING id`,
      on,
    );
    return row.id;
  }

  /** A page of the register after `afterId` (keyset paging keeps memory flat for a whole city). */
  /**
   * A page of the register after `afterId` (keyset paging keeps memory flat for a whole city). A parcel
   * without its own value takes the appraisal of the round covering `year`: its own deed's row first,
   * then its zone and block, then its zone; a building without its own depreciation takes the table's
   * row for its kind at its age, and one without its own cost per m² the building appraisal's row for
   * its kind in the round covering `year`. Kinds and types match by their stored `tax_type_key` (migration 0011):
   * spacing, case, zero-width characters, Thai digits and the ways Thai vowels are typed do not count.
   */
  /**
   * A page of the register in (owner, parcel) order, after `after`: an owner's parcels come one after
   * another, so their once-per-owner exemptions are allocated in parcel order (index of migration 0017).
   */
  parcelsForAssessment(
    year: number,
    after: ParcelKey,
    limit: number,
    on?: Executor,
  ): Promise<ParcelForAssessment[]> {
    return this.db.rows<ParcelForAssessment>(
      sql`
      SELECT p.id, p.owner_id AS "ownerId", p.deed_kind AS "deedKind", p.deed_no AS "deedNo",
        o.kind AS "ownerKind", p.area_m2::float8 AS "areaM2",
        COALESCE(p.value_per_m2, a.value_per_m2)::float8 AS "valuePerM2",
        CASE WHEN a.id IS NOT NULL THEN json_build_object('firstYear', a.first_year, 'lastYear', a.last_year,
          'deedKind', a.deed_kind, 'deedNo', a.deed_no, 'zone', a.zone, 'block', a.block) END AS appraisal,
        p.uses,
        COALESCE((SELECT json_agg(json_build_object('kind', b.kind, 'floorAreaM2', b.floor_area_m2::float8,
          'costPerM2Baht', COALESCE(b.cost_per_m2, c.cost_per_m2)::float8,
          'cost', CASE WHEN c.building_type IS NOT NULL THEN json_build_object('firstYear', c.first_year, 'lastYear', c.last_year,
            'buildingType', c.building_type, 'buildingTypeEn', c.building_type_en, 'code', c.code) END,
          'ageYears', b.age_years, 'depreciationPercent', COALESCE(b.depreciation_percent, d.depreciation_percent)::float8,
          'depreciation', CASE WHEN d.building_type IS NOT NULL THEN json_build_object('buildingType', d.building_type, 'ageFrom', d.age_from) END)
          ORDER BY b.id)
          FROM tax_buildings b
          LEFT JOIN LATERAL (SELECT t.building_type, t.age_from, t.depreciation_percent FROM tax_depreciation t
            WHERE b.depreciation_percent IS NULL AND t.type_key = b.kind_key AND t.age_from <= b.age_years
            ORDER BY t.age_from DESC LIMIT 1) d ON true
          LEFT JOIN LATERAL (SELECT t.first_year, t.last_year, t.building_type, t.building_type_en, t.code, t.cost_per_m2
            FROM tax_building_costs t
            WHERE b.cost_per_m2 IS NULL
              AND (t.type_key = b.kind_key OR t.code_key = b.kind_key)
              AND t.first_year <= ${year} AND t.last_year >= ${year}
            -- A kind that is one row's code and another's type takes the code's row.
            ORDER BY t.first_year DESC, (t.code_key = b.kind_key) DESC NULLS LAST, t.last_year DESC, t.id LIMIT 1) c ON true
          WHERE b.parcel_id = p.id), '[]'::json) AS buildings
      FROM tax_parcels p JOIN tax_owners o ON o.id = p.owner_id
      LEFT JOIN LATERAL (SELECT t.* FROM tax_appraisals t
        WHERE p.value_per_m2 IS NULL AND t.first_year <= ${year} AND t.last_year >= ${year}
          AND ((t.deed_kind = p.deed_kind AND t.deed_no = p.deed_no)
            OR (t.deed_no IS NULL AND t.zone = p.appraisal_zone AND (t.block IS NULL OR t.block = p.appraisal_block)))
        ORDER BY (t.deed_no IS NOT NULL) DESC, (t.block IS NOT NULL) DESC, t.first_year DESC LIMIT 1) a ON true
      WHERE (p.owner_id, p.id) > (${after.ownerId}::uuid, ${after.id}::uuid)
        -- Implied by the line above, but without it the planner merge-joins the owners from the first
        -- one on every page (a page in the middle of the register read half the owners' index).
        AND o.id >= ${after.ownerId}::uuid
      ORDER BY p.owner_id, p.id LIMIT ${limit}`,
      on,
    );
  }

  signsForAssessment(afterId: string, limit: number, on?: Executor): Promise<SignForAssessment[]> {
    return this.db.rows<SignForAssessment>(
      sql`
      SELECT id, owner_id AS "ownerId", width_cm::float8 AS "widthCm", height_cm::float8 AS "heightCm", sign_type AS type, moving,
        to_char(declared_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD') AS "declaredOn",
        to_char(installed_on, 'YYYY-MM-DD') AS "installedOn", declared, unfiled_year AS "unfiledYear"
      FROM tax_signs WHERE status = 'registered' AND id > ${afterId}::uuid ORDER BY id LIMIT ${limit}`,
      on,
    );
  }

  /**
   * Adds the bills of one tax kind and year in one statement, skipping subjects that already have
   * one; returns how many were added. Numbers are drawn only for the rows actually added. `bills` is
   * a JSON array of `billRecord`s in UTF-8 (`BillBatch.take`).
   */
  async insertBills(
    on: Executor,
    b: { year: number; kind: 'land-building' | 'sign'; prefix: string; dueDate: string },
    bills: Buffer,
  ): Promise<number> {
    const subject = b.kind === 'sign' ? sql.raw('sign_id') : sql.raw('parcel_id');
    const [added] = await this.db.rows<{ n: number }>(
      sql`WITH added AS (
        INSERT INTO tax_bills (number, tax_year, tax_kind, owner_id, ${subject}, amount_satang, working, due_date, status)
        -- The number: at least 6 digits, zero-padded, never cut (lpad would drop a 7th digit).
        SELECT ${b.prefix} || ${String(b.year)} || regexp_replace('00000' || nextval('tax_bill_seq'), '^0*([0-9]{6,})$', '\\1'), ${b.year}, ${b.kind}, r.owner_id,
          r.subject_id, r.amount, r.working, ${b.dueDate}::date, CASE WHEN r.amount > 0 THEN 'open' ELSE 'nothing_due' END
        FROM json_to_recordset(${bills}::json) AS r(owner_id uuid, subject_id uuid, amount bigint, working jsonb)
        -- Written as the unique index's expression, so the check is an index probe, not a scan.
        WHERE NOT EXISTS (SELECT 1 FROM tax_bills x WHERE x.tax_year = ${b.year} AND x.tax_kind = ${b.kind}
          AND x.status <> 'cancelled' AND COALESCE(x.parcel_id, x.sign_id) = r.subject_id)
        RETURNING 1)
      SELECT count(*)::int AS n FROM added`,
      on,
    );
    return added.n;
  }

  async bill(id: string, on?: Executor): Promise<BillRow | undefined> {
    const [row] = await this.db.rows<BillRow>(
      sql`SELECT ${billColumns} FROM tax_bills b JOIN tax_owners o ON o.id = b.owner_id WHERE b.id = ${id}`,
      on,
    );
    return row;
  }

  /** Locks the bill for the payment being recorded, so two calls cannot both pay it. */
  async billByNumberForUpdate(on: Executor, number: string): Promise<BillRow | undefined> {
    const [row] = await this.db.rows<BillRow>(
      sql`SELECT ${billColumns} FROM tax_bills b JOIN tax_owners o ON o.id = b.owner_id WHERE b.number = ${number} FOR UPDATE OF b`,
      on,
    );
    return row;
  }

  billsOfTaxId(taxId: string): Promise<BillRow[]> {
    return this.db.rows<BillRow>(
      sql`SELECT ${billColumns} FROM tax_bills b JOIN tax_owners o ON o.id = b.owner_id WHERE o.tax_id = ${taxId} ORDER BY b.tax_year DESC, b.number`,
    );
  }

  /** Bills for staff, by number; `number` and `owner` match anywhere in the bill number or owner name,
   * ignoring case, with `%`, `_` and `\\` taken literally. */
  bills(filter: BillFilter): Promise<BillRow[]> {
    const like = (text?: string) => (text ? `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null);
    return this.db.rows<BillRow>(
      sql`SELECT ${billColumns} FROM tax_bills b JOIN tax_owners o ON o.id = b.owner_id
        WHERE (${filter.year ?? null}::int IS NULL OR b.tax_year = ${filter.year ?? null}::int)
          AND (${filter.status ?? null}::text IS NULL OR b.status = ${filter.status ?? null})
          AND (${filter.kind ?? null}::text IS NULL OR b.tax_kind = ${filter.kind ?? null})
          AND (${like(filter.number)}::text IS NULL OR b.number ILIKE ${like(filter.number)})
          AND (${like(filter.owner)}::text IS NULL OR o.name ILIKE ${like(filter.owner)})
        ORDER BY b.number LIMIT ${filter.limit} OFFSET ${filter.offset}`,
    );
  }

  /** Records a bank payment once per transaction id; returns the earlier status when it is a repeat. */
  async insertPayment(
    on: Executor,
    p: {
      txnId: string;
      billNumber: string;
      billId: string | null;
      amountSatang: number;
      paidAt: string;
      source: string;
      status: string;
      /** The late charges in a matched amount (0 otherwise). */
      surchargeSatang: number;
      penaltySatang: number;
    },
  ): Promise<{ inserted: boolean; status: string }> {
    const inserted = await this.db.rows<{ status: string }>(
      sql`INSERT INTO tax_payments (bank_txn_id, bill_number, bill_id, amount_satang, paid_at, source, status, surcharge_satang, penalty_satang)
        VALUES (${p.txnId}, ${p.billNumber}, ${p.billId}, ${p.amountSatang}, ${p.paidAt}::timestamptz, ${p.source}, ${p.status},
          ${p.surchargeSatang}, ${p.penaltySatang})
        ON CONFLICT (bank_txn_id) DO NOTHING RETURNING status`,
      on,
    );
    if (inserted.length) return { inserted: true, status: inserted[0].status };
    const [earlier] = await this.db.rows<{ status: string }>(
      sql`SELECT status FROM tax_payments WHERE bank_txn_id = ${p.txnId}`,
      on,
    );
    return { inserted: false, status: earlier.status };
  }

  /** Marks the bill paid, keeping the owner's name as it is now for the receipt (payer_name). */
  async markPaid(on: Executor, billId: string, paidAt: string) {
    await on.execute(
      sql`UPDATE tax_bills b SET status = 'paid', paid_at = ${paidAt}::timestamptz, payer_name = o.name
        FROM tax_owners o WHERE o.id = b.owner_id AND b.id = ${billId} AND b.status = 'open'`,
    );
  }

  /** Adds the late charges of a matched payment (the whole bill or one instalment) to the bill's. */
  async addPaidCharges(on: Executor, billId: string, surchargeSatang: number, penaltySatang: number) {
    await on.execute(
      sql`UPDATE tax_bills SET surcharge_paid_satang = surcharge_paid_satang + ${surchargeSatang},
        penalty_paid_satang = penalty_paid_satang + ${penaltySatang} WHERE id = ${billId}`,
    );
  }

  async instalments(billId: string, on?: Executor): Promise<InstalmentRow[]> {
    return this.db.rows<InstalmentRow>(
      sql`SELECT id, seq, number, amount_satang::float8 AS "amountSatang", to_char(due_date, 'YYYY-MM-DD') AS "dueDate", status, paid_at AS "paidAt"
        FROM tax_instalments WHERE bill_id = ${billId} ORDER BY seq`,
      on,
    );
  }

  /** The instalments of many bills in one read (arrears), by bill id. */
  async instalmentsOf(billIds: string[], on?: Executor): Promise<Map<string, InstalmentRow[]>> {
    const out = new Map<string, InstalmentRow[]>();
    if (!billIds.length) return out;
    const rows = await this.db.rows<InstalmentRow & { billId: string }>(
      sql`SELECT bill_id AS "billId", id, seq, number, amount_satang::float8 AS "amountSatang", to_char(due_date, 'YYYY-MM-DD') AS "dueDate", status, paid_at AS "paidAt"
        FROM tax_instalments WHERE bill_id IN (${sql.join(
          billIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )}) ORDER BY bill_id, seq`,
      on,
    );
    for (const { billId, ...row } of rows) out.set(billId, [...(out.get(billId) ?? []), row]);
    return out;
  }

  async insertInstalment(
    on: Executor,
    i: { billId: string; seq: number; number: string; amountSatang: number; dueDate: string },
  ) {
    await on.execute(sql`INSERT INTO tax_instalments (bill_id, seq, number, amount_satang, due_date)
      VALUES (${i.billId}, ${i.seq}, ${i.number}, ${i.amountSatang}, ${i.dueDate}::date)`);
  }

  /** The instalment with this number and its bill, both locked for the payment being recorded. */
  async instalmentByNumberForUpdate(
    on: Executor,
    number: string,
  ): Promise<(InstalmentRow & { billId: string }) | undefined> {
    const [row] = await this.db.rows<InstalmentRow & { billId: string }>(
      sql`SELECT i.id, i.seq, i.number, i.amount_satang::float8 AS "amountSatang", to_char(i.due_date, 'YYYY-MM-DD') AS "dueDate",
          i.status, i.paid_at AS "paidAt", i.bill_id AS "billId"
        FROM tax_instalments i JOIN tax_bills b ON b.id = i.bill_id WHERE i.number = ${number} FOR UPDATE`,
      on,
    );
    return row;
  }

  /**
   * The late charges the bank's matched payment of an instalment carried, or undefined when it was
   * settled otherwise (with the rest of its bill, or by staff resolving a queued payment).
   */
  async instalmentCharges(number: string) {
    const [row] = await this.db.rows<{ surchargeSatang: number; penaltySatang: number }>(
      sql`SELECT surcharge_satang::float8 AS "surchargeSatang", penalty_satang::float8 AS "penaltySatang"
        FROM tax_payments WHERE bill_number = ${number} AND status = 'matched' LIMIT 1`,
    );
    return row;
  }

  async markInstalmentsPaid(on: Executor, ids: string[], paidAt: string) {
    for (const id of ids) {
      await on.execute(
        sql`UPDATE tax_instalments SET status = 'paid', paid_at = ${paidAt}::timestamptz WHERE id = ${id} AND status = 'open'`,
      );
    }
  }

  async insertDeclaredSign(
    on: Executor,
    d: {
      ownerId: string;
      declaredBy: string;
      widthCm: number;
      heightCm: number;
      type: number;
      moving: boolean;
      text: string;
      location?: { lon: number; lat: number };
      photos: string[];
      installedOn?: string;
    },
  ): Promise<string> {
    const declared = { widthCm: d.widthCm, heightCm: d.heightCm, type: d.type, moving: d.moving };
    const [row] = await this.db.rows<{ id: string }>(
      sql`INSERT INTO tax_signs (owner_id, width_cm, height_cm, sign_type, moving, text_content, location, status, declared_by, photos, declared_at,
          installed_on, declared)
        VALUES (${d.ownerId}, ${d.widthCm}, ${d.heightCm}, ${d.type}, ${d.moving}, ${d.text}, ${point(d.location)}, 'declared', ${d.declaredBy},
          ${JSON.stringify(d.photos)}::jsonb, now(), ${d.installedOn ?? null}::date, ${JSON.stringify(declared)}::jsonb)
        RETURNING id`,
      on,
    );
    return row.id;
  }

  declarations(filter: { declaredBy?: string; status?: string }) {
    return this.db.rows<{
      id: string;
      ownerName: string;
      widthCm: number;
      heightCm: number;
      type: number;
      moving: boolean;
      text: string;
      status: string;
      /** How many photos; each is read with GET /declarations/{id}/photos/{n}. */
      photos: number;
      declaredAt: string;
      reviewNote: string | null;
    }>(
      sql`SELECT s.id, o.name AS "ownerName", s.width_cm::float8 AS "widthCm", s.height_cm::float8 AS "heightCm", s.sign_type AS type, s.moving,
          s.text_content AS text, s.status, jsonb_array_length(s.photos) AS photos, s.declared_at AS "declaredAt", s.review_note AS "reviewNote"
        FROM tax_signs s JOIN tax_owners o ON o.id = s.owner_id
        WHERE s.declared_at IS NOT NULL
          AND (${filter.declaredBy ?? null}::uuid IS NULL OR s.declared_by = ${filter.declaredBy ?? null}::uuid)
          AND (${filter.status ?? null}::text IS NULL OR s.status = ${filter.status ?? null})
        ORDER BY s.declared_at DESC LIMIT 500`,
    );
  }

  /**
   * Registers a declared sign, with the size, type or moving staff found when they differ from the
   * ภ.ป.1 (`declared` keeps what it said), in the zone its point lies in (`zoneCode`, from
   * OrgRepository.locate). Returns the sign as declared and as registered, or undefined.
   */
  async acceptDeclaration(
    on: Executor,
    id: string,
    by: string | null,
    fix: Partial<{ widthCm: number; heightCm: number; type: number; moving: boolean }> = {},
    zoneCode: string | null = null,
  ) {
    const [row] = await this.db.rows<{ declared: Sign | null; registered: Sign }>(
      sql`UPDATE tax_signs SET status = 'registered', reviewed_at = now(), reviewed_by = ${by}, zone_code = ${zoneCode},
          width_cm = coalesce(${fix.widthCm ?? null}::numeric, width_cm), height_cm = coalesce(${fix.heightCm ?? null}::numeric, height_cm),
          sign_type = coalesce(${fix.type ?? null}::smallint, sign_type), moving = coalesce(${fix.moving ?? null}::boolean, moving),
          version = version + 1
        WHERE id = ${id} AND status = 'declared'
        RETURNING declared, jsonb_build_object('widthCm', width_cm::float8, 'heightCm', height_cm::float8, 'type', sign_type, 'moving', moving) AS registered`,
      on,
    );
    return row;
  }

  async rejectDeclaration(on: Executor, id: string, reason: string, by: string | null): Promise<boolean> {
    const rows = await this.db.rows(
      sql`UPDATE tax_signs SET status = 'rejected', review_note = ${reason}, reviewed_at = now(), reviewed_by = ${by}
        WHERE id = ${id} AND status = 'declared' RETURNING id`,
      on,
    );
    return rows.length > 0;
  }

  /** Where a sign stands, if it has a point. */
  async signPoint(id: string, on?: Executor): Promise<{ lon: number; lat: number } | undefined> {
    const [row] = await this.db.rows<{ lon: number; lat: number }>(
      sql`SELECT ST_X(location) AS lon, ST_Y(location) AS lat FROM tax_signs WHERE id = ${id} AND location IS NOT NULL`,
      on,
    );
    return row;
  }

  /** The stored photo names of a declared sign and who declared it. */
  async declarationPhotos(id: string): Promise<{ declaredBy: string | null; photos: string[] } | undefined> {
    const [row] = await this.db.rows<{ declaredBy: string | null; photos: string[] }>(
      sql`SELECT declared_by AS "declaredBy", photos FROM tax_signs WHERE id = ${id} AND declared_at IS NOT NULL`,
    );
    return row;
  }

  /**
   * The year's bills by kind and zone (a sign's zone like a parcel's). Money is counted as received:
   * `taxCollected` is the tax of paid bills plus the paid instalments of bills still open; the late
   * surcharge and penalty received are their own columns (docs/modules/tax.md, "Reports").
   */
  report(year: number) {
    return this.db.rows<{
      taxKind: string;
      zone: string | null;
      bills: number;
      billedSatang: number;
      collectedSatang: number;
      surchargeCollectedSatang: number;
      penaltyCollectedSatang: number;
    }>(sql`
      SELECT b.tax_kind AS "taxKind", COALESCE(p.zone_code, s.zone_code) AS zone, count(*)::int AS bills,
        sum(b.amount_satang)::float8 AS "billedSatang",
        COALESCE(sum(${taxReceived}), 0)::float8 AS "collectedSatang",
        sum(b.surcharge_paid_satang)::float8 AS "surchargeCollectedSatang",
        sum(b.penalty_paid_satang)::float8 AS "penaltyCollectedSatang"
      FROM tax_bills b LEFT JOIN tax_parcels p ON p.id = b.parcel_id LEFT JOIN tax_signs s ON s.id = b.sign_id
      WHERE b.tax_year = ${year} AND b.status <> 'cancelled'
      GROUP BY 1, 2 ORDER BY 1, 2`);
  }
}

/**
 * The tax received on bill `b`: all of it once paid, else what its paid instalments add up to (a
 * payment refused or refunded whole pays nothing). Shared by the report and the module's KPIs.
 */
export const taxReceived = sql.raw(`CASE WHEN b.status = 'paid' THEN b.amount_satang
  ELSE (SELECT COALESCE(sum(i.amount_satang), 0) FROM tax_instalments i WHERE i.bill_id = b.id AND i.status = 'paid') END`);
