import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../../core/db/index.ts';
import { boundarySql } from './boundary.ts';
import type { BuildingEditable, OwnerEditable, ParcelEditable, SignEditable } from './repository.ts';

/** A search text as a LIKE pattern that matches it anywhere, its own % and _ taken literally. */
export const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const billsOf = (match: ReturnType<typeof sql>) =>
  sql`COALESCE((SELECT json_agg(json_build_object('id', x.id, 'number', x.number, 'taxYear', x.tax_year,
    'amountSatang', x.amount_satang::float8, 'status', x.status) ORDER BY x.tax_year DESC, x.number)
    FROM tax_bills x WHERE ${match}), '[]'::json)`;

/** SQL for staff browsing the tax register and correcting it (the rest: repository.ts). */
export class RegisterRepository {
  constructor(private readonly db: Db) {}

  /** A parcel's editable fields as the API names them, locked for the edit's transaction. */
  async parcelForEdit(on: Executor, id: string) {
    const [row] = await this.db.rows<ParcelEditable & { version: number; hasPoint: boolean }>(
      sql`SELECT p.version, o.tax_id AS "ownerTaxId", p.area_m2::float8 AS "areaM2", p.value_per_m2::float8 AS "valuePerM2Baht",
          p.appraisal_zone AS "appraisalZone", p.appraisal_block AS "appraisalBlock", p.uses,
          ST_AsGeoJSON(p.boundary, 7)::json AS boundary, p.location IS NOT NULL AS "hasPoint"
        FROM tax_parcels p JOIN tax_owners o ON o.id = p.owner_id WHERE p.id = ${id} FOR UPDATE OF p`,
      on,
    );
    return row;
  }

  /**
   * Writes an edit if the parcel is still at `version`; answers the new version, or nothing when it is not.
   * `point` (with its zone) is given when a parcel without a point gets an outline.
   */
  async updateParcel(
    on: Executor,
    id: string,
    version: number,
    p: ParcelEditable & { ownerId: string; point?: { lon: number; lat: number; zoneCode: string | null } },
  ) {
    const located = p.point
      ? sql`, location = ST_SetSRID(ST_MakePoint(${p.point.lon}, ${p.point.lat}), 4326), zone_code = ${p.point.zoneCode}`
      : sql``;
    const [row] = await this.db.rows<{ version: number }>(
      sql`UPDATE tax_parcels SET owner_id = ${p.ownerId}, area_m2 = ${p.areaM2}, value_per_m2 = ${p.valuePerM2Baht},
          appraisal_zone = ${p.appraisalZone}, appraisal_block = ${p.appraisalBlock}, uses = ${JSON.stringify(p.uses)}::jsonb,
          boundary = ${p.boundary ? boundarySql(p.boundary.coordinates) : sql`NULL`}${located},
          version = version + 1
        WHERE id = ${id} AND version = ${version} RETURNING version`,
      on,
    );
    return row?.version;
  }

  async buildingForEdit(on: Executor, id: string) {
    const [row] = await this.db.rows<BuildingEditable & { version: number; parcelId: string }>(
      sql`SELECT b.version, b.parcel_id AS "parcelId", b.building_no AS "buildingNo", b.kind, b.floor_area_m2::float8 AS "floorAreaM2",
          b.cost_per_m2::float8 AS "costPerM2Baht", b.age_years AS "ageYears", b.depreciation_percent::float8 AS "depreciationPercent"
        FROM tax_buildings b WHERE b.id = ${id} FOR UPDATE`,
      on,
    );
    return row;
  }

  async updateBuilding(on: Executor, id: string, version: number, b: BuildingEditable) {
    const [row] = await this.db.rows<{ version: number }>(
      sql`UPDATE tax_buildings SET building_no = ${b.buildingNo}, kind = ${b.kind}, floor_area_m2 = ${b.floorAreaM2},
          cost_per_m2 = ${b.costPerM2Baht}, age_years = ${b.ageYears}, depreciation_percent = ${b.depreciationPercent},
          version = version + 1
        WHERE id = ${id} AND version = ${version} RETURNING version`,
      on,
    );
    return row?.version;
  }

  async signForEdit(on: Executor, id: string) {
    const [row] = await this.db.rows<SignEditable & { version: number }>(
      sql`SELECT s.version, o.tax_id AS "ownerTaxId", s.width_cm::float8 AS "widthCm", s.height_cm::float8 AS "heightCm",
          s.sign_type AS type, s.text_language AS "textLanguage", s.moving, s.text_content AS text,
          CASE WHEN s.location IS NOT NULL THEN json_build_object('lon', ST_X(s.location), 'lat', ST_Y(s.location)) END AS location
        FROM tax_signs s JOIN tax_owners o ON o.id = s.owner_id WHERE s.id = ${id} FOR UPDATE OF s`,
      on,
    );
    return row;
  }

  async updateSign(
    on: Executor,
    id: string,
    version: number,
    x: SignEditable & { ownerId: string; zoneCode: string | null },
  ) {
    const at = x.location
      ? sql`ST_SetSRID(ST_MakePoint(${x.location.lon}, ${x.location.lat}), 4326)`
      : sql`NULL`;
    const [row] = await this.db.rows<{ version: number }>(
      sql`UPDATE tax_signs SET owner_id = ${x.ownerId}, width_cm = ${x.widthCm}, height_cm = ${x.heightCm},
          sign_type = ${x.type}, moving = ${x.moving}, text_content = ${x.text}, location = ${at}, zone_code = ${x.zoneCode},
          version = version + 1
        WHERE id = ${id} AND version = ${version} RETURNING version`,
      on,
    );
    return row?.version;
  }

  /** An owner's editable fields, locked for the edit's transaction. */
  async ownerForEdit(on: Executor, id: string) {
    const [row] = await this.db.rows<OwnerEditable & { version: number }>(
      sql`SELECT o.version, o.kind, o.tax_id AS "taxId", o.name, o.address FROM tax_owners o WHERE o.id = ${id} FOR UPDATE`,
      on,
    );
    return row;
  }

  async updateOwner(on: Executor, id: string, version: number, o: OwnerEditable) {
    const [row] = await this.db.rows<{ version: number }>(
      sql`UPDATE tax_owners SET kind = ${o.kind}, tax_id = ${o.taxId}, name = ${o.name}, address = ${o.address},
          version = version + 1
        WHERE id = ${id} AND version = ${version} RETURNING version`,
      on,
    );
    return row?.version;
  }

  /** One owner with their address and how many parcels and signs the register holds for them. */
  async registerOwner(id: string) {
    const [row] = await this.db.rows(
      sql`SELECT o.id, o.version, o.kind, o.tax_id AS "taxId", o.name, o.address,
          (SELECT count(*)::int FROM tax_parcels p WHERE p.owner_id = o.id) AS parcels,
          (SELECT count(*)::int FROM tax_signs s WHERE s.owner_id = o.id) AS signs
        FROM tax_owners o WHERE o.id = ${id}`,
    );
    return row;
  }

  /** A page of the parcel register, searched by deed number, owner name or owner tax ID. */
  async registerParcels(q: string | undefined, limit: number, offset: number) {
    const where = q
      ? sql`(p.deed_no ILIKE ${like(q)} ESCAPE '\\' OR o.name ILIKE ${like(q)} ESCAPE '\\' OR o.tax_id = ${q})`
      : sql`true`;
    const [count] = await this.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM tax_parcels p JOIN tax_owners o ON o.id = p.owner_id WHERE ${where}`,
    );
    const items = await this.db.rows(
      sql`SELECT p.id, p.deed_kind AS "deedKind", p.deed_no AS "deedNo", o.name AS "ownerName", p.area_m2::float8 AS "areaM2",
          p.value_per_m2::float8 AS "valuePerM2", p.zone_code AS zone,
          (SELECT count(*)::int FROM tax_buildings b WHERE b.parcel_id = p.id) AS buildings
        FROM tax_parcels p JOIN tax_owners o ON o.id = p.owner_id WHERE ${where}
        ORDER BY p.deed_kind, p.deed_no LIMIT ${limit} OFFSET ${offset}`,
    );
    return { total: count.n, items };
  }

  async registerBuildings(q: string | undefined, limit: number, offset: number) {
    const where = q
      ? sql`(p.deed_no ILIKE ${like(q)} ESCAPE '\\' OR o.name ILIKE ${like(q)} ESCAPE '\\' OR o.tax_id = ${q}
          OR b.building_no ILIKE ${like(q)} ESCAPE '\\' OR b.kind ILIKE ${like(q)} ESCAPE '\\')`
      : sql`true`;
    const from = sql`FROM tax_buildings b JOIN tax_parcels p ON p.id = b.parcel_id JOIN tax_owners o ON o.id = p.owner_id`;
    const [count] = await this.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n ${from} WHERE ${where}`);
    const items = await this.db.rows(
      sql`SELECT b.id, b.parcel_id AS "parcelId", p.deed_kind AS "deedKind", p.deed_no AS "deedNo", b.building_no AS "buildingNo",
          b.kind, o.name AS "ownerName", b.floor_area_m2::float8 AS "floorAreaM2", b.age_years AS "ageYears"
        ${from} WHERE ${where}
        ORDER BY p.deed_kind, p.deed_no, b.building_no NULLS LAST, b.id LIMIT ${limit} OFFSET ${offset}`,
    );
    return { total: count.n, items };
  }

  async registerSigns(q: string | undefined, limit: number, offset: number) {
    const where = q
      ? sql`(s.text_content ILIKE ${like(q)} ESCAPE '\\' OR o.name ILIKE ${like(q)} ESCAPE '\\' OR o.tax_id = ${q})`
      : sql`true`;
    const from = sql`FROM tax_signs s JOIN tax_owners o ON o.id = s.owner_id`;
    const [count] = await this.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n ${from} WHERE ${where}`);
    const items = await this.db.rows(
      sql`SELECT s.id, o.name AS "ownerName", s.text_content AS text, s.width_cm::float8 AS "widthCm", s.height_cm::float8 AS "heightCm",
          s.sign_type AS type, s.text_language AS "textLanguage", s.moving, s.status
        ${from} WHERE ${where}
        ORDER BY o.name, s.created_at, s.id LIMIT ${limit} OFFSET ${offset}`,
    );
    return { total: count.n, items };
  }

  /** The imported Treasury appraisal, newest round first, searched by zone, block or deed number. */
  async appraisalRows(q: string | undefined, limit: number, offset: number) {
    const where = q
      ? sql`(t.zone ILIKE ${like(q)} ESCAPE '\\' OR t.block ILIKE ${like(q)} ESCAPE '\\' OR t.deed_no ILIKE ${like(q)} ESCAPE '\\')`
      : sql`true`;
    const [count] = await this.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM tax_appraisals t WHERE ${where}`,
    );
    const items = await this.db.rows(
      sql`SELECT t.id, t.first_year AS "roundFrom", t.last_year AS "roundTo", t.deed_kind AS "deedKind", t.deed_no AS "deedNo",
          t.zone, t.block, t.value_per_m2::float8 AS "valuePerM2"
        FROM tax_appraisals t WHERE ${where}
        ORDER BY t.first_year DESC, t.zone NULLS LAST, t.block NULLS FIRST, t.deed_kind, t.deed_no, t.id LIMIT ${limit} OFFSET ${offset}`,
    );
    return { total: count.n, items };
  }

  /** The imported depreciation table, by building type and age. */
  async depreciationRows(q: string | undefined, limit: number, offset: number) {
    const where = q ? sql`t.building_type ILIKE ${like(q)} ESCAPE '\\'` : sql`true`;
    const [count] = await this.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM tax_depreciation t WHERE ${where}`,
    );
    const items = await this.db.rows(
      sql`SELECT t.id, t.building_type AS "buildingType", t.age_from AS "ageFrom", t.depreciation_percent::float8 AS "depreciationPercent"
        FROM tax_depreciation t WHERE ${where}
        ORDER BY t.building_type, t.age_from LIMIT ${limit} OFFSET ${offset}`,
    );
    return { total: count.n, items };
  }

  /** The imported Treasury building appraisal, newest round first, searched by building type or code. */
  async buildingCostRows(q: string | undefined, limit: number, offset: number) {
    const where = q
      ? sql`(t.building_type ILIKE ${like(q)} ESCAPE '\\' OR t.building_type_en ILIKE ${like(q)} ESCAPE '\\'
          OR t.code ILIKE ${like(q)} ESCAPE '\\')`
      : sql`true`;
    const [count] = await this.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM tax_building_costs t WHERE ${where}`,
    );
    const items = await this.db.rows(
      sql`SELECT t.id, t.first_year AS "roundFrom", t.last_year AS "roundTo", t.code, t.building_type AS "buildingType",
          t.building_type_en AS "buildingTypeEn", t.cost_per_m2::float8 AS "costPerM2", t.note
        FROM tax_building_costs t WHERE ${where}
        -- As the Treasury lists them: by code (100, 200 … 506/1, 506/2), types without a code last.
        ORDER BY t.first_year DESC, t.code NULLS LAST, t.building_type, t.id LIMIT ${limit} OFFSET ${offset}`,
    );
    return { total: count.n, items };
  }

  /** One parcel with its owner, buildings and bills, as the register shows it. */
  async registerParcel(id: string) {
    const [row] = await this.db.rows(
      sql`SELECT p.id, p.version, p.deed_kind AS "deedKind", p.deed_no AS "deedNo", p.area_m2::float8 AS "areaM2",
          p.value_per_m2::float8 AS "valuePerM2", p.appraisal_zone AS "appraisalZone", p.appraisal_block AS "appraisalBlock",
          p.zone_code AS zone, p.uses,
          CASE WHEN p.location IS NULL THEN NULL ELSE json_build_object('lon', ST_X(p.location), 'lat', ST_Y(p.location)) END AS location,
          ST_AsGeoJSON(p.boundary, 7)::json AS boundary,
          json_build_object('id', o.id, 'kind', o.kind, 'name', o.name, 'taxId', o.tax_id) AS owner,
          COALESCE((SELECT json_agg(json_build_object('id', b.id, 'version', b.version, 'buildingNo', b.building_no, 'kind', b.kind,
            'floorAreaM2', b.floor_area_m2::float8, 'costPerM2Baht', b.cost_per_m2::float8, 'ageYears', b.age_years,
            'depreciationPercent', b.depreciation_percent::float8) ORDER BY b.building_no NULLS LAST, b.id)
            FROM tax_buildings b WHERE b.parcel_id = p.id), '[]'::json) AS buildings,
          ${billsOf(sql`x.parcel_id = p.id`)} AS bills
        FROM tax_parcels p JOIN tax_owners o ON o.id = p.owner_id WHERE p.id = ${id}`,
    );
    return row;
  }

  /** One building with its parcel, the parcel's owner and the parcel's bills (a building is billed with its parcel). */
  async registerBuilding(id: string) {
    const [row] = await this.db.rows(
      sql`SELECT b.id, b.version, b.building_no AS "buildingNo", b.kind, b.floor_area_m2::float8 AS "floorAreaM2",
          b.cost_per_m2::float8 AS "costPerM2Baht", b.age_years AS "ageYears", b.depreciation_percent::float8 AS "depreciationPercent",
          json_build_object('id', p.id, 'deedKind', p.deed_kind, 'deedNo', p.deed_no) AS parcel,
          json_build_object('id', o.id, 'kind', o.kind, 'name', o.name, 'taxId', o.tax_id) AS owner,
          ${billsOf(sql`x.parcel_id = p.id`)} AS bills
        FROM tax_buildings b JOIN tax_parcels p ON p.id = b.parcel_id JOIN tax_owners o ON o.id = p.owner_id
        WHERE b.id = ${id}`,
    );
    return row;
  }

  async registerSign(id: string) {
    const [row] = await this.db.rows(
      sql`SELECT s.id, s.version, s.text_content AS text, s.width_cm::float8 AS "widthCm", s.height_cm::float8 AS "heightCm",
          s.sign_type AS type, s.text_language AS "textLanguage", s.moving, s.status, s.declared_at AS "declaredAt",
          jsonb_array_length(s.photos) AS photos, s.zone_code AS zone,
          CASE WHEN s.location IS NULL THEN NULL ELSE json_build_object('lon', ST_X(s.location), 'lat', ST_Y(s.location)) END AS location,
          json_build_object('id', o.id, 'kind', o.kind, 'name', o.name, 'taxId', o.tax_id) AS owner,
          ${billsOf(sql`x.sign_id = s.id`)} AS bills
        FROM tax_signs s JOIN tax_owners o ON o.id = s.owner_id WHERE s.id = ${id}`,
    );
    return row;
  }

  /** A sign's stored photo names (a citizen's ภ.ป.1 photos first, then those staff added). */
  async signPhotos(id: string): Promise<string[] | undefined> {
    const [row] = await this.db.rows<{ photos: string[] }>(
      sql`SELECT photos FROM tax_signs WHERE id = ${id}`,
    );
    return row?.photos;
  }

  /** Adds stored photos to a sign still at `version`; answers the new version and count, or nothing. */
  async addSignPhotos(on: Executor, id: string, version: number, names: string[]) {
    const [row] = await this.db.rows<{ version: number; photos: number }>(
      sql`UPDATE tax_signs SET photos = photos || ${JSON.stringify(names)}::jsonb, version = version + 1
        WHERE id = ${id} AND version = ${version} RETURNING version, jsonb_array_length(photos) AS photos`,
      on,
    );
    return row;
  }
}
