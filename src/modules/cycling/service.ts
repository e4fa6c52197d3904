import { type Actor, audit } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';
import { type FeatureError, readLanes } from './lanes-file.ts';
import { CyclingRepository } from './repository.ts';
import type { ImportQuery, LaneImport } from './schemas.ts';

const dayMs = 86_400_000;
/** A Bangkok calendar day as YYYY-MM-DD, `back` days before `at`. */
export const bangkokDay = (at: Date, back = 0) =>
  new Date(at.getTime() - back * dayMs).toLocaleDateString('sv-SE', { timeZone: 'Asia/Bangkok' });

/** The rules of this module; knows nothing of HTTP. */
export class CyclingService {
  readonly repo: CyclingRepository;

  constructor(private readonly db: Db) {
    this.repo = new CyclingRepository(db);
  }

  async lanes() {
    const rows = await this.repo.lanes();
    return {
      type: 'FeatureCollection' as const,
      features: rows.map((r) => ({ type: 'Feature' as const, id: r.properties.id, ...r })),
    };
  }

  /**
   * Imports a lane file all or nothing: every feature is checked (names, kind, positions, a valid
   * line inside the municipality) and any problem refuses the whole file with the list of them.
   */
  async importLanes(file: LaneImport, query: ImportQuery, actor: Actor) {
    const { lanes, errors } = readLanes(file);
    if (errors.length) throw invalid(errors);
    return this.db.transaction(async (tx) => {
      const checks = await this.repo.checkLanes(tx, lanes);
      const spatial: FeatureError[] = [];
      for (const c of checks) {
        if (!c.valid)
          spatial.push({ path: `/features/${c.i}/geometry`, message: msg('cycling.line_invalid') });
        else if (!c.inside)
          spatial.push({ path: `/features/${c.i}/geometry`, message: msg('cycling.line_outside') });
      }
      if (spatial.length) throw invalid(spatial);
      const replaced = query.mode === 'replace' ? await this.repo.deleteAllLanes(tx) : 0;
      const imported = await this.repo.insertLanes(tx, lanes, query.source ?? null);
      await audit(tx, actor, {
        action: 'cycling.lanes.import',
        resourceType: 'cycling.lane',
        detail: { mode: query.mode, imported, replaced, source: query.source ?? null },
      });
      return { imported, replaced };
    });
  }

  deleteLane(id: string, actor: Actor) {
    return this.db.transaction(async (tx) => {
      const gone = await this.repo.deleteLane(tx, id);
      if (!gone) throw AppError.notFound('cycling.lane_not_found', msg('cycling.no_lane', { id }));
      await audit(tx, actor, {
        action: 'cycling.lane.delete',
        resourceType: 'cycling.lane',
        resourceId: id,
        detail: { name: gone.nameEn },
      });
    });
  }

  /** Each counter's bicycles per Bangkok day over the last `days` days, today included (so far). */
  async counters(days: number, at = new Date()) {
    const from = bangkokDay(at, days - 1);
    const to = bangkokDay(at);
    const counters = await this.repo.counters();
    const counts = await this.repo.dailyCounts(
      counters.map((c) => c.id),
      from,
      to,
    );
    return {
      from,
      to,
      counters: counters.map((c) => ({
        ...c,
        days: counts.filter((x) => x.counterId === c.id).map(({ day, count }) => ({ day, count })),
      })),
    };
  }

  /** Lane kilometres by kind, and bicycles counted over the last 7 full Bangkok days. */
  async summary(at = new Date()) {
    const byKind = await this.repo.laneTotals();
    const counters = await this.repo.counters();
    const counts = await this.repo.dailyCounts(
      counters.map((c) => c.id),
      bangkokDay(at, 7),
      bangkokDay(at, 1),
    );
    const last7Days = counts.reduce((a, c) => a + c.count, 0);
    return {
      lanes: {
        count: byKind.reduce((a, k) => a + k.count, 0),
        km: Math.round(byKind.reduce((a, k) => a + k.km, 0) * 100) / 100,
        byKind,
      },
      counters: {
        count: counters.length,
        last7Days,
        dailyAverage: counters.length ? Math.round(last7Days / 7 / counters.length) : null,
      },
    };
  }
}

function invalid(errors: FeatureError[]): AppError {
  return AppError.badRequest(
    'cycling.lanes_invalid',
    msg('cycling.problem_count', { n: errors.length }),
    errors.slice(0, 100),
  );
}
