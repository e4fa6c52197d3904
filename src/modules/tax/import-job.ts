import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { type Actor, audit } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { OrgRepository } from '../../core/org/repository.ts';
import { type ParcelRowInput, parseParcelCsv, parseParcelXlsx, type RowResult } from './import.ts';
import { TaxRepository } from './repository.ts';

const batch = 250;

export interface ImportStatus {
  id: string;
  kind: string;
  status: 'running' | 'done' | 'failed' | 'interrupted';
  total: number;
  processed: number;
  imported: number;
  errors: { line: number; error: string }[];
}

/**
 * Imports a parcel register CSV in the background, a batch per transaction, recording progress and
 * row errors as it goes so the person who started it can watch (and a restart leaves a clear state).
 */
export class ParcelImports {
  private readonly repo: TaxRepository;
  private readonly org: OrgRepository;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
  ) {
    this.repo = new TaxRepository(db);
    this.org = new OrgRepository(db);
  }

  /** An import that was running when the process stopped will not finish: say so. */
  async markInterrupted(): Promise<void> {
    await this.db.orm.execute(
      sql`UPDATE tax_imports SET status = 'interrupted', finished_at = now() WHERE status = 'running'`,
    );
  }

  /** Starts an import of a CSV text or an Excel (.xlsx) file. */
  async start(
    file: string | Buffer,
    actor: Actor,
  ): Promise<{ id: string; total: number; done: Promise<void> }> {
    let rows: RowResult[];
    try {
      rows = typeof file === 'string' ? parseParcelCsv(file) : await parseParcelXlsx(file);
    } catch (e) {
      throw AppError.badRequest('request.malformed', (e as Error).message);
    }
    if (rows.length === 0) throw AppError.badRequest('request.invalid', 'the file has no rows');
    const errors = rows.filter((r) => r.error).map((r) => ({ line: r.line, error: r.error! }));
    const [job] = await this.db.rows<{ id: string }>(
      sql`INSERT INTO tax_imports (kind, started_by, total, processed, errors)
        VALUES ('parcels', ${actor.id}, ${rows.length}, ${errors.length}, ${JSON.stringify(errors)}::jsonb) RETURNING id`,
    );
    await audit(this.db.orm, actor, {
      action: 'tax.import.start',
      resourceType: 'tax.import',
      resourceId: job.id,
      detail: { rows: rows.length },
    });
    const valid = rows.filter((r) => r.row) as { line: number; row: ParcelRowInput }[];
    const done = this.run(job.id, valid, actor).catch(async (err) => {
      this.log.error({ err, importId: job.id }, 'parcel import failed');
      await this.db.orm.execute(
        sql`UPDATE tax_imports SET status = 'failed', finished_at = now() WHERE id = ${job.id}`,
      );
    });
    return { id: job.id, total: rows.length, done };
  }

  private async run(id: string, rows: { line: number; row: ParcelRowInput }[], actor: Actor) {
    for (let i = 0; i < rows.length; i += batch) {
      const slice = rows.slice(i, i + batch);
      const errors: { line: number; error: string }[] = [];
      let imported = 0;
      await this.db.transaction(async (tx) => {
        for (const { line, row } of slice) {
          const [deed] = await this.db.rows(
            sql`SELECT 1 FROM tax_parcels WHERE deed_kind = ${row.deedKind} AND deed_no = ${row.deedNo}`,
            tx,
          );
          if (deed) {
            errors.push({ line, error: `deed ${row.deedKind} ${row.deedNo} is already registered` });
            continue;
          }
          const ownerId =
            (await this.repo.ownerIdByTaxId(row.ownerTaxId, tx)) ??
            (await this.repo.insertOwner(tx, {
              kind: row.ownerKind,
              taxId: row.ownerTaxId,
              name: row.ownerName,
            }));
          const location =
            row.lon !== undefined && row.lat !== undefined ? { lon: row.lon, lat: row.lat } : undefined;
          // Inside the batch's transaction: PGlite has one connection, so a query beside it would wait forever.
          const place = location ? await this.org.locate(location.lon, location.lat, tx) : null;
          const parcelId = await this.repo.insertParcel(tx, {
            ownerId,
            deedKind: row.deedKind,
            deedNo: row.deedNo,
            areaM2: row.rai * 1600 + row.ngan * 400 + row.wa * 4,
            valuePerM2: row.valuePerM2Baht,
            uses: [{ use: row.use, sharePercent: 100, mainHome: row.mainHome, vacantYears: row.vacantYears }],
            location,
            zoneCode: place?.zone.code ?? null,
          });
          await audit(tx, actor, {
            action: 'tax.parcel.import',
            resourceType: 'tax.parcel',
            resourceId: parcelId,
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
