import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { type Actor, audit } from '../../core/audit/audit.ts';
import type { Db, Executor } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';
import { OrgRepository } from '../../core/org/repository.ts';
import { BoundaryError, type CheckedBoundary, validBoundary } from './boundary.ts';
import {
  type AppraisalRowInput,
  appraisalSpec,
  type BuildingCostRowInput,
  type BuildingRowInput,
  buildingCostSpec,
  buildingSpec,
  checkRecords,
  csvRecords,
  type DepreciationRowInput,
  depreciationSpec,
  type OwnerRowInput,
  ownerSpec,
  type ParcelRowInput,
  parcelSpec,
  type RowResult,
  type RowSpec,
  type SignRowInput,
  signSpec,
  xlsxRecords,
} from './import.ts';
import { type RowReason, reason } from './import-reasons.ts';
import { otherMainHome } from './main-home.ts';
import { TaxRepository } from './repository.ts';
import { signTypeFrom } from './sign-language.ts';

const batch = 250;

export type ImportKind =
  | 'parcels'
  | 'buildings'
  | 'signs'
  | 'owners'
  | 'appraisals'
  | 'depreciation'
  | 'building-costs';

/** A refused row: its line (the header is line 1), the English sentence, and its code and values. */
export type ImportError = { line: number } & RowReason;

export interface ImportStatus {
  id: string;
  kind: ImportKind;
  status: 'running' | 'done' | 'failed' | 'interrupted';
  total: number;
  processed: number;
  imported: number;
  errors: ImportError[];
}

/**
 * One kind of register row: how it is checked, and how it is written inside the batch's transaction.
 * `write` answers the row's error (the row is then skipped) or the id of what it added or replaced.
 */
interface Importer<R> {
  spec: RowSpec<R>;
  resourceType: string;
  write: (tx: Executor, row: R, importId: string) => Promise<{ error: RowReason } | { id: string }>;
}

/**
 * Imports a register file (CSV or Excel) in the background, a batch per transaction, recording progress
 * and row errors as it goes so the person who started it can watch (and a restart leaves a clear state).
 */
export class RegisterImports {
  private readonly repo: TaxRepository;
  private readonly org: OrgRepository;
  private readonly importers: { [K in ImportKind]: Importer<never> };

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
  ) {
    this.repo = new TaxRepository(db);
    this.org = new OrgRepository(db);
    this.importers = {
      parcels: this.parcels() as Importer<never>,
      buildings: this.buildings() as Importer<never>,
      signs: this.signs() as Importer<never>,
      owners: this.owners() as Importer<never>,
      appraisals: this.appraisals() as Importer<never>,
      depreciation: this.depreciation() as Importer<never>,
      'building-costs': this.buildingCosts() as Importer<never>,
    };
  }

  private async owner(
    tx: Executor,
    row: { ownerTaxId: string; ownerKind: string; ownerName: string },
  ): Promise<string> {
    return (
      (await this.repo.ownerIdByTaxId(row.ownerTaxId, tx)) ??
      (await this.repo.insertOwner(tx, { kind: row.ownerKind, taxId: row.ownerTaxId, name: row.ownerName }))
    );
  }

  private parcels(): Importer<ParcelRowInput> {
    return {
      spec: parcelSpec,
      resourceType: 'tax.parcel',
      write: async (tx, row) => {
        if (await this.repo.parcelIdByDeed(row.deedKind, row.deedNo, tx))
          return { error: reason('deed_registered', { deedKind: row.deedKind, deedNo: row.deedNo }) };
        let outline: CheckedBoundary | undefined;
        try {
          outline = row.polygons && (await validBoundary(this.db, tx, row.polygons));
        } catch (e) {
          if (!(e instanceof BoundaryError)) throw e;
          return { error: reason('boundary_invalid', e.params) };
        }
        const ownerId = await this.owner(tx, row);
        const uses = row.useList ?? [];
        const home = uses.some((u) => u.mainHome)
          ? await otherMainHome(this.db, tx, ownerId, null)
          : undefined;
        if (home) return { error: reason('main_home_taken', home) };
        // Given only an outline, the parcel's point is a point surely inside it.
        const location =
          row.lon !== undefined && row.lat !== undefined
            ? { lon: row.lon, lat: row.lat }
            : outline?.pointOnSurface;
        // Inside the batch's transaction: PGlite has one connection, so a query beside it would wait forever.
        const place = location ? await this.org.locate(location.lon, location.lat, tx) : null;
        const id = await this.repo.insertParcel(tx, {
          ownerId,
          deedKind: row.deedKind,
          deedNo: row.deedNo,
          areaM2: row.rai * 1600 + row.ngan * 400 + row.wa * 4,
          valuePerM2: row.valuePerM2Baht ?? null,
          appraisalZone: row.appraisalZone,
          appraisalBlock: row.appraisalBlock,
          uses,
          location,
          boundary: outline?.geojson.coordinates,
          zoneCode: place?.zone.code ?? null,
        });
        return { id };
      },
    };
  }

  private buildings(): Importer<BuildingRowInput> {
    return {
      spec: buildingSpec,
      resourceType: 'tax.building',
      write: async (tx, row) => {
        const parcelId = await this.repo.parcelIdByDeed(row.deedKind, row.deedNo, tx);
        if (!parcelId) return { error: reason('no_parcel', { deedKind: row.deedKind, deedNo: row.deedNo }) };
        if (await this.repo.buildingIdByNo(parcelId, row.buildingNo, tx))
          return { error: reason('building_registered', { buildingNo: row.buildingNo, deedNo: row.deedNo }) };
        const id = await this.repo.insertBuilding(tx, parcelId, row);
        return { id };
      },
    };
  }

  /** An owner on their own; a tax ID already in the register (or earlier in the file) is reported, not merged. */
  private owners(): Importer<OwnerRowInput> {
    return {
      spec: ownerSpec,
      resourceType: 'tax.owner',
      write: async (tx, row) => {
        if (await this.repo.ownerIdByTaxId(row.taxId, tx))
          return { error: reason('owner_registered', { taxId: row.taxId }) };
        return { id: await this.repo.insertOwner(tx, row) };
      },
    };
  }

  private signs(): Importer<SignRowInput> {
    return {
      spec: signSpec,
      resourceType: 'tax.sign',
      write: async (tx, row) => {
        const ownerId = await this.owner(tx, row);
        const location =
          row.lon !== undefined && row.lat !== undefined ? { lon: row.lon, lat: row.lat } : undefined;
        const zoneCode = location
          ? ((await this.org.locate(location.lon, location.lat, tx))?.zone.code ?? null)
          : null;
        const sign = { ownerId, ...row, type: signTypeFrom(row), location, zoneCode };
        if (await this.repo.sameSignExists(tx, sign)) return { error: reason('sign_registered') };
        return { id: await this.repo.insertSign(tx, sign) };
      },
    };
  }

  /**
   * A row of the Treasury's appraisal for a round. Importing the round again replaces its values (a
   * corrected table); the same parcel or zone twice in one file is reported.
   */
  private appraisals(): Importer<AppraisalRowInput> {
    return {
      spec: appraisalSpec,
      resourceType: 'tax.appraisal',
      write: async (tx, row, importId) => {
        const id = await this.repo.upsertAppraisal(tx, row, importId);
        return id ? { id } : { error: reason('appraisal_repeated') };
      },
    };
  }

  private depreciation(): Importer<DepreciationRowInput> {
    return {
      spec: depreciationSpec,
      resourceType: 'tax.depreciation',
      write: async (tx, row, importId) => {
        const id = await this.repo.upsertDepreciation(tx, row, importId);
        return id ? { id } : { error: reason('depreciation_repeated') };
      },
    };
  }

  /** A row of the Treasury's building appraisal for a round; importing the round again replaces its values. */
  private buildingCosts(): Importer<BuildingCostRowInput> {
    return {
      spec: buildingCostSpec,
      resourceType: 'tax.building-cost',
      write: async (tx, row, importId) => {
        const holder = await this.repo.buildingCostCodeHolder(tx, row);
        if (holder !== undefined) return { error: reason('code_taken', { code: row.code ?? '', holder }) };
        const id = await this.repo.upsertBuildingCost(tx, row, importId);
        return id ? { id } : { error: reason('building_cost_repeated') };
      },
    };
  }

  /** An import that was running when the process stopped will not finish: say so. */
  async markInterrupted(): Promise<void> {
    await this.db.orm.execute(
      sql`UPDATE tax_imports SET status = 'interrupted', finished_at = now() WHERE status = 'running'`,
    );
  }

  /** Starts an import of a CSV text or an Excel (.xlsx) file. */
  async start(
    kind: ImportKind,
    file: string | Buffer,
    actor: Actor,
  ): Promise<{ id: string; total: number; done: Promise<void> }> {
    const importer = this.importers[kind] as Importer<unknown>;
    let rows: RowResult<unknown>[];
    try {
      const records = typeof file === 'string' ? csvRecords(file) : await xlsxRecords(file);
      rows = checkRecords(importer.spec, records);
    } catch (e) {
      if (e instanceof AppError) throw e;
      // The CSV or workbook reader's own words, in English, after a sentence in the reader's language.
      throw AppError.badRequest(
        'request.malformed',
        msg('request.unreadable_file', { reason: (e as Error).message }),
      );
    }
    if (rows.length === 0) throw AppError.badRequest('request.invalid', msg('request.no_rows'));
    const errors: ImportError[] = rows.flatMap((r) => (r.reason ? [{ line: r.line, ...r.reason }] : []));
    const [job] = await this.db.rows<{ id: string }>(
      sql`INSERT INTO tax_imports (kind, started_by, total, processed, errors)
        VALUES (${kind}, ${actor.id}, ${rows.length}, ${errors.length}, ${JSON.stringify(errors)}::jsonb) RETURNING id`,
    );
    await audit(this.db.orm, actor, {
      action: 'tax.import.start',
      resourceType: 'tax.import',
      resourceId: job.id,
      detail: { kind, rows: rows.length },
    });
    const valid = rows.filter((r) => r.row) as { line: number; row: unknown }[];
    const done = this.run(job.id, importer, valid, actor).catch(async (err) => {
      this.log.error({ err, importId: job.id }, 'register import failed');
      await this.db.orm.execute(
        sql`UPDATE tax_imports SET status = 'failed', finished_at = now() WHERE id = ${job.id}`,
      );
    });
    return { id: job.id, total: rows.length, done };
  }

  private async run(
    id: string,
    importer: Importer<unknown>,
    rows: { line: number; row: unknown }[],
    actor: Actor,
  ) {
    for (let i = 0; i < rows.length; i += batch) {
      const slice = rows.slice(i, i + batch);
      const errors: ImportError[] = [];
      let imported = 0;
      await this.db.transaction(async (tx) => {
        for (const { line, row } of slice) {
          const result = await importer.write(tx, row, id);
          if ('error' in result) {
            errors.push({ line, ...result.error });
            continue;
          }
          await audit(tx, actor, {
            action: `${importer.resourceType}.import`,
            resourceType: importer.resourceType,
            resourceId: result.id,
            detail: { importId: id, line },
          });
          imported++;
        }
        await tx.execute(sql`UPDATE tax_imports SET processed = processed + ${slice.length}, imported = imported + ${imported},
          errors = errors || ${JSON.stringify(errors)}::jsonb WHERE id = ${id}`);
      });
    }
    await this.db.orm.execute(
      sql`UPDATE tax_imports SET status = 'done', finished_at = now() WHERE id = ${id}`,
    );
  }

  async status(id: string): Promise<ImportStatus | undefined> {
    const [row] = await this.db.rows<ImportStatus>(
      sql`SELECT id, kind, status, total, processed, imported, errors FROM tax_imports WHERE id = ${id}`,
    );
    return row;
  }
}
