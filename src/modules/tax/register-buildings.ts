import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import { type Actor, audit } from '../../core/audit/audit.ts';
import type { Db, Executor } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';
import { revenue, tags } from './access.ts';
import { TaxRepository } from './repository.ts';
import { BuildingSchema, IdParam } from './schemas.ts';

const Version = Type.Integer({
  minimum: 1,
  maximum: 2_147_483_647,
  description: 'the version that was read; an older one answers 409',
});

/** A building added to a parcel: the import's building fields, and the parcel's version as read. */
export const NewBuildingBody = Type.Object(
  {
    version: Version,
    buildingNo: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    ...BuildingSchema.properties,
  },
  { additionalProperties: false },
);
export type NewBuildingInput = Static<typeof NewBuildingBody>;

const stale = (version: number) =>
  AppError.conflict('tax.edit_stale', msg('tax.changed_since_read', { version }));

/**
 * Finance staff add a building to a parcel already in the register, or remove one. Both change what the
 * parcel is taxed on, so both name the parcel's version as read and move it on: an edit of the parcel
 * made from an older copy is then refused (409) instead of silently ignoring the building.
 */
export class RegisterBuildings {
  private readonly repo: TaxRepository;

  constructor(private readonly db: Db) {
    this.repo = new TaxRepository(db);
  }

  add(parcelId: string, input: NewBuildingInput, actor: Actor) {
    return this.db.transaction(async (tx) => {
      const [parcel] = await this.db.rows<{ version: number }>(
        sql`SELECT version FROM tax_parcels WHERE id = ${parcelId} FOR UPDATE`,
        tx,
      );
      if (!parcel) throw AppError.notFound();
      if (parcel.version !== input.version) throw stale(parcel.version);
      const { version: _, ...building } = input;
      building.kind = building.kind.trim();
      if (!building.kind)
        throw AppError.badRequest('request.invalid', msg('tax.name_blank'), [
          { path: '/kind', message: msg('tax.name_blank') },
        ]);
      if (building.buildingNo !== undefined) {
        building.buildingNo = building.buildingNo.trim();
        if (!building.buildingNo || (await this.repo.buildingIdByNo(parcelId, building.buildingNo, tx)))
          throw new AppError(409, 'tax.building_no_taken', msg('tax.building_no_taken'), [
            { path: '/buildingNo', message: msg('tax.building_no_taken') },
          ]);
      }
      const id = await this.repo.insertBuilding(tx, parcelId, building);
      const next = await this.bump(tx, parcelId);
      await audit(tx, actor, {
        action: 'tax.building.create',
        resourceType: 'tax.building',
        resourceId: id,
        detail: { parcelId, after: building, parcelVersion: next },
      });
      return { id, parcelId, parcelVersion: next };
    });
  }

  /** Removes a building, named with its own version as read; audited with the fields it had. */
  remove(id: string, version: number, actor: Actor) {
    return this.db.transaction(async (tx) => {
      const [b] = await this.db.rows<Record<string, unknown> & { version: number; parcelId: string }>(
        sql`SELECT b.version, b.parcel_id AS "parcelId", b.building_no AS "buildingNo", b.kind,
            b.floor_area_m2::float8 AS "floorAreaM2", b.cost_per_m2::float8 AS "costPerM2Baht",
            b.age_years AS "ageYears", b.depreciation_percent::float8 AS "depreciationPercent"
          FROM tax_buildings b WHERE b.id = ${id} FOR UPDATE`,
        tx,
      );
      if (!b) throw AppError.notFound();
      if (b.version !== version) throw stale(b.version);
      const { version: _, parcelId, ...before } = b;
      await this.db.rows(sql`DELETE FROM tax_buildings WHERE id = ${id}`, tx);
      const next = await this.bump(tx, parcelId);
      await audit(tx, actor, {
        action: 'tax.building.delete',
        resourceType: 'tax.building',
        resourceId: id,
        detail: { parcelId, before, parcelVersion: next },
      });
      return { id, parcelId, parcelVersion: next };
    });
  }

  private async bump(tx: Executor, parcelId: string) {
    const [row] = await this.db.rows<{ version: number }>(
      sql`UPDATE tax_parcels SET version = version + 1 WHERE id = ${parcelId} RETURNING version`,
      tx,
    );
    return row.version;
  }
}

const Changed = Type.Object({ id: Type.String(), parcelId: Type.String(), parcelVersion: Type.Integer() });

export async function registerBuildingRoutes(app: FastifyInstance) {
  const buildings = new RegisterBuildings(app.db);
  app.post(
    '/register/parcels/:id/buildings',
    {
      config: revenue,
      bodyLimit: 16_384,
      schema: {
        tags,
        summary: "Add a building to a parcel; the body names the parcel's version (stale: 409)",
        params: IdParam,
        body: NewBuildingBody,
        response: { 201: Changed },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await buildings.add(
            (request.params as { id: string }).id,
            request.body as NewBuildingInput,
            request.actor(),
          ),
        ),
  );
  app.delete(
    '/register/buildings/:id',
    {
      config: revenue,
      schema: {
        tags,
        summary: "Remove a building; `version` is the building's as read (stale: 409)",
        params: IdParam,
        querystring: Type.Object({ version: Version }, { additionalProperties: false }),
        response: { 200: Changed },
      },
    },
    async (request) =>
      buildings.remove(
        (request.params as { id: string }).id,
        (request.query as { version: number }).version,
        request.actor(),
      ),
  );
}
