import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { type Actor, audit } from '../../core/audit/audit.ts';
import { officeBoundRoles, type Role } from '../../core/auth/roles.ts';
import type { Db } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';
import { OrgRepository } from '../../core/org/repository.ts';
import {
  checkRecord,
  type ImportError,
  type ImportRow,
  importError,
  importRecords,
  maxImportRows,
} from './import-rows.ts';
import { DeviceRepository } from './repository.ts';

const batch = 250;

export interface DeviceImportStatus {
  id: string;
  status: 'running' | 'done' | 'failed' | 'interrupted';
  startedBy: string | null;
  total: number;
  processed: number;
  imported: number;
  errors: ImportError[];
}

/**
 * Imports devices from CSV in the background, 250 rows per transaction, recording progress and row
 * errors as it goes (the pattern of the tax register import). Valid rows are stored and bad ones
 * reported: a city registering thousands of sensors fixes the few bad lines and imports those again,
 * and a DevEUI already registered is reported, never overwritten, so a second run is harmless.
 */
export class DeviceImports {
  private readonly repo: DeviceRepository;
  private readonly org: OrgRepository;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
  ) {
    this.repo = new DeviceRepository(db);
    this.org = new OrgRepository(db);
  }

  /** An import that was running when the process stopped will not finish: say so. */
  async markInterrupted(): Promise<void> {
    await this.db.orm.execute(
      sql`UPDATE dev_imports SET status = 'interrupted', finished_at = now() WHERE status = 'running'`,
    );
  }

  async start(text: string, actor: Actor): Promise<{ id: string; total: number; done: Promise<void> }> {
    let records: Record<string, string>[];
    try {
      records = importRecords(text);
    } catch (e) {
      if (e instanceof AppError) throw e;
      // The CSV or workbook reader's own words, in English, after a sentence in the reader's language.
      throw AppError.badRequest(
        'request.malformed',
        msg('request.unreadable_file', { reason: (e as Error).message }),
      );
    }
    if (records.length === 0) throw AppError.badRequest('request.invalid', msg('request.no_rows'));
    if (records.length > maxImportRows)
      throw AppError.badRequest('request.invalid', msg('request.too_many_rows', { max: maxImportRows }));

    const profiles = new Map<string, string>();
    for (const p of await this.repo.listProfiles()) {
      profiles.set(p.id, p.id);
      profiles.set(p.name, p.id);
    }
    const offices = new Map<string, string>();
    for (const o of await this.org.listOffices()) {
      offices.set(o.id, o.id);
      offices.set(o.code, o.id);
    }
    const bound = officeBoundRoles.includes(actor.role as Role);
    const errors: ImportError[] = [];
    const valid: (ImportRow & { profileId: string; officeId: string })[] = [];
    const seen = new Map<string, number>();
    records.forEach((record, i) => {
      const checked = checkRecord(record, i + 2);
      if ('errors' in checked) {
        errors.push(...checked.errors);
        return;
      }
      const r = checked.row;
      const rowErrors: ImportError[] = [];
      const profileId = profiles.get(r.profile);
      if (!profileId) rowErrors.push(importError(r.row, 'profile', 'no_profile'));
      const officeId = r.office ? offices.get(r.office) : (actor.officeId ?? undefined);
      if (r.office && !officeId) rowErrors.push(importError(r.row, 'office', 'no_office'));
      else if (!officeId) rowErrors.push(importError(r.row, 'office', 'required'));
      else if (bound && officeId !== actor.officeId)
        rowErrors.push(importError(r.row, 'office', 'own_office'));
      const earlier = seen.get(r.devEui);
      if (earlier !== undefined)
        rowErrors.push(importError(r.row, 'devEui', 'same_dev_eui', { line: earlier }));
      else seen.set(r.devEui, r.row);
      if (rowErrors.length) errors.push(...rowErrors);
      else valid.push({ ...r, profileId: profileId!, officeId: officeId! });
    });

    const invalidRows = records.length - valid.length;
    const [job] = await this.db.rows<{ id: string }>(
      sql`INSERT INTO dev_imports (started_by, total, processed, errors)
        VALUES (${actor.id}, ${records.length}, ${invalidRows}, ${JSON.stringify(errors)}::jsonb) RETURNING id`,
    );
    await audit(this.db.orm, actor, {
      action: 'devices.import.start',
      resourceType: 'devices.import',
      resourceId: job.id,
      detail: { rows: records.length, invalid: invalidRows },
    });
    const done = this.run(job.id, valid, actor).catch(async (err) => {
      this.log.error({ err, importId: job.id }, 'device import failed');
      await this.db.orm.execute(
        sql`UPDATE dev_imports SET status = 'failed', finished_at = now() WHERE id = ${job.id}`,
      );
    });
    return { id: job.id, total: records.length, done };
  }

  private async run(id: string, rows: (ImportRow & { profileId: string; officeId: string })[], actor: Actor) {
    for (let i = 0; i < rows.length; i += batch) {
      const slice = rows.slice(i, i + batch);
      const errors: ImportError[] = [];
      let imported = 0;
      await this.db.transaction(async (tx) => {
        for (const r of slice) {
          if (await this.repo.deviceIdByEui(r.devEui, tx)) {
            errors.push(importError(r.row, 'devEui', 'registered', { devEui: r.devEui }));
            continue;
          }
          // Inside the batch's transaction: PGlite has one connection.
          const place = await this.org.locate(r.lon, r.lat, tx);
          if (!place) {
            errors.push(importError(r.row, 'lon', 'outside'));
            continue;
          }
          const created = await this.repo.insertDevice(tx, {
            devEui: r.devEui,
            name: r.name,
            profileId: r.profileId,
            officeId: r.officeId,
            lon: r.lon,
            lat: r.lat,
            zoneCode: place.zone.code,
            installedOn: r.installedOn,
            tags: r.tags,
          });
          if (r.expectedIntervalS !== null)
            await tx.execute(
              sql`UPDATE dev_devices SET expected_interval_s = ${r.expectedIntervalS} WHERE id = ${created.id}`,
            );
          await audit(tx, actor, {
            action: 'devices.device.create',
            resourceType: 'devices.device',
            resourceId: created.id,
            detail: { devEui: r.devEui, importId: id, row: r.row },
          });
          imported++;
        }
        await tx.execute(sql`UPDATE dev_imports SET processed = processed + ${slice.length},
          imported = imported + ${imported}, errors = errors || ${JSON.stringify(errors)}::jsonb WHERE id = ${id}`);
      });
    }
    await this.db.orm.execute(
      sql`UPDATE dev_imports SET status = 'done', finished_at = now() WHERE id = ${id}`,
    );
  }

  async status(id: string): Promise<DeviceImportStatus | undefined> {
    const [row] = await this.db.rows<DeviceImportStatus>(
      sql`SELECT id, status, started_by AS "startedBy", total, processed, imported,
          (SELECT coalesce(jsonb_agg(e ORDER BY (e->>'row')::int, e->>'column'), '[]') FROM jsonb_array_elements(errors) e) AS errors
        FROM dev_imports WHERE id = ${id}`,
    );
    return row;
  }
}
