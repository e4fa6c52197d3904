import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { audit } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/index.ts';
import { tags } from './access.ts';
import type { UsePart } from './assessment.ts';
import { Line, UseSchema } from './schemas.ts';
import { baht, type TaxService } from './service.ts';

const BillSummary = Type.Union([
  Type.Object({
    id: Type.String({ format: 'uuid' }),
    number: Type.String(),
    status: Type.String(),
    amountBaht: Type.String(),
    dueDate: Type.String(),
    working: Type.Array(Line),
  }),
  Type.Null(),
]);

const MyProperties = Type.Object({
  year: Type.Integer(),
  parcels: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      deedKind: Type.String(),
      deedNo: Type.String(),
      areaM2: Type.Number(),
      zone: Type.Union([Type.String(), Type.Null()]),
      uses: Type.Array(UseSchema),
      buildings: Type.Array(
        Type.Object({
          id: Type.String({ format: 'uuid' }),
          buildingNo: Type.Union([Type.String(), Type.Null()]),
          kind: Type.String(),
          floorAreaM2: Type.Number(),
          ageYears: Type.Integer(),
        }),
      ),
      bill: BillSummary,
    }),
  ),
  signs: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      widthCm: Type.Number(),
      heightCm: Type.Number(),
      type: Type.Integer(),
      moving: Type.Boolean(),
      text: Type.Union([Type.String(), Type.Null()]),
      status: Type.String(),
      bill: BillSummary,
    }),
  ),
});

interface Subject {
  id: string;
  billId: string | null;
}

/** The parcels (with buildings and uses) and signs of the owner whose tax ID is `taxId`, each with its bill's id for `year`. */
async function propertiesOf(db: Db, taxId: string, year: number) {
  const bill = (column: 'parcel_id' | 'sign_id', id: ReturnType<typeof sql.raw>) =>
    sql`(SELECT b.id FROM tax_bills b WHERE b.${sql.raw(column)} = ${id} AND b.tax_year = ${year}
      AND b.status <> 'cancelled' LIMIT 1)`;
  const parcels = await db.rows<
    Subject & {
      deedKind: string;
      deedNo: string;
      areaM2: number;
      zone: string | null;
      uses: UsePart[];
      buildings: {
        id: string;
        buildingNo: string | null;
        kind: string;
        floorAreaM2: number;
        ageYears: number;
      }[];
    }
  >(
    sql`SELECT p.id, p.deed_kind AS "deedKind", p.deed_no AS "deedNo", p.area_m2::float8 AS "areaM2",
      p.zone_code AS zone, p.uses,
      COALESCE((SELECT json_agg(json_build_object('id', b.id, 'buildingNo', b.building_no, 'kind', b.kind,
        'floorAreaM2', b.floor_area_m2::float8, 'ageYears', b.age_years) ORDER BY b.building_no NULLS LAST, b.id)
        FROM tax_buildings b WHERE b.parcel_id = p.id), '[]'::json) AS buildings,
      ${bill('parcel_id', sql.raw('p.id'))} AS "billId"
      FROM tax_parcels p JOIN tax_owners o ON o.id = p.owner_id
      WHERE o.tax_id = ${taxId} ORDER BY p.deed_kind, p.deed_no`,
  );
  const signs = await db.rows<
    Subject & {
      widthCm: number;
      heightCm: number;
      type: number;
      moving: boolean;
      text: string | null;
      status: string;
    }
  >(
    sql`SELECT s.id, s.width_cm::float8 AS "widthCm", s.height_cm::float8 AS "heightCm", s.sign_type AS type,
      s.moving, s.text_content AS text, s.status, ${bill('sign_id', sql.raw('s.id'))} AS "billId"
      FROM tax_signs s JOIN tax_owners o ON o.id = s.owner_id
      WHERE o.tax_id = ${taxId} ORDER BY s.created_at, s.id`,
  );
  const [owner] = await db.rows<{ id: string }>(sql`SELECT id FROM tax_owners WHERE tax_id = ${taxId}`);
  return { ownerId: owner?.id ?? null, parcels, signs };
}

/**
 * A citizen's own parcels and signs, matched like their bills (the owner whose tax ID is the
 * citizen's national ID), each with its assessment for the year if there is one: a parcel not yet
 * billed is listed too. Staff have the register instead (403 here). The read is audited.
 */
export async function myPropertiesRoutes(app: FastifyInstance, service: TaxService) {
  app.get(
    '/my/properties',
    {
      config: { access: 'citizen' },
      schema: {
        tags,
        summary:
          'My parcels, buildings and signs, with each one’s bill for the year (matched by my national ID)',
        querystring: Type.Object(
          { year: Type.Optional(Type.Integer({ minimum: 2560, maximum: 2700 })) },
          { additionalProperties: false },
        ),
        response: { 200: MyProperties },
      },
    },
    async (request) => {
      // The tax year in the Buddhist Era.
      const year = (request.query as { year?: number }).year ?? new Date().getFullYear() + 543;
      const nationalId = request.principal!.nationalId;
      const found = nationalId
        ? await propertiesOf(app.db, nationalId, year)
        : { ownerId: null, parcels: [], signs: [] };
      const bills = new Map(
        nationalId ? (await service.repo.billsOfTaxId(nationalId)).map((b) => [b.id, b]) : [],
      );
      const summary = (billId: string | null) => {
        const b = billId ? bills.get(billId) : undefined;
        return b
          ? {
              id: b.id,
              number: b.number,
              status: b.status,
              amountBaht: baht(b.amountSatang),
              dueDate: b.dueDate,
              working: b.working,
            }
          : null;
      };
      await audit(app.db.orm, request.actor(), {
        action: 'tax.my_properties.read',
        resourceType: 'tax.owner',
        resourceId: found.ownerId ?? undefined,
        detail: { year, parcels: found.parcels.length, signs: found.signs.length },
      });
      return {
        year,
        parcels: found.parcels.map(({ billId, ...p }) => ({ ...p, bill: summary(billId) })),
        signs: found.signs.map(({ billId, ...s }) => ({ ...s, bill: summary(billId) })),
      };
    },
  );
}
