import { type Actor, audit } from '../../core/audit/audit.ts';
import { officeBoundRoles, type Principal } from '../../core/auth/roles.ts';
import type { Db, Executor } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';
import { rainTotal, rateOfRise, statusOf, trendOf } from './domain.ts';
import { publishStation } from './entity.ts';
import { FloodRepository, type StationRow, type StationValues } from './repository.ts';
import { syncStationRules } from './rules.ts';
import type { NewStation, Station, StationPatchInput } from './schemas.ts';

/** A water-level station whose latest reading is older than this shows its status as unknown. */
export const staleAfterMs = 3 * 3600_000;

/** The quantities (and their UN/CEFACT units) that make a device a station. */
export const stationQuantities = [
  { quantity: 'waterLevel', unit: 'MTR', kind: 'water_level' as const },
  { quantity: 'rainfall', unit: 'MMT', kind: 'rainfall' as const },
];

/** A station's current figures from its raw readings. */
export async function describe(
  repo: FloodRepository,
  s: StationRow,
  now: Date,
  on?: Executor,
): Promise<Station> {
  const points = await repo.recent(s, now, on);
  const lastReadingAt = await repo.lastReadingAt(s, on);
  const base = {
    id: s.id,
    kind: s.kind,
    nameTh: s.nameTh,
    nameEn: s.nameEn,
    location: s.location,
    zoneCode: s.zoneCode,
    unit: s.kind === 'water_level' ? ('m' as const) : ('mm' as const),
    datum: s.datum,
    watch: s.watch,
    warning: s.warning,
    critical: s.critical,
    bankFull: s.bankFull,
    synthetic: s.synthetic,
    lastReadingAt,
  };
  const stale = !lastReadingAt || now.getTime() - Date.parse(lastReadingAt) > staleAfterMs;
  if (s.kind === 'rainfall') {
    const rain1h = rainTotal(points, now.getTime(), 1);
    const rain24h = rainTotal(points, now.getTime(), 24);
    return {
      ...base,
      level: rain24h,
      status: rain24h === null ? 'unknown' : statusOf(rain24h, s),
      trend: null,
      rateCmPerHour1h: null,
      rateCmPerHour3h: null,
      rain1h,
      rain24h,
      stale,
    };
  }
  const last = points.at(-1);
  const rate1 = rateOfRise(points, 1);
  const rate3 = rateOfRise(points, 3);
  return {
    ...base,
    level: last ? last.v : null,
    status: !last || stale ? 'unknown' : statusOf(last.v, s),
    trend: trendOf(rate1 ?? rate3),
    rateCmPerHour1h: rate1,
    rateCmPerHour3h: rate3,
    rain1h: null,
    rain24h: null,
    stale,
  };
}

function checkOrder(v: { watch: number; warning: number; critical: number; bankFull?: number | null }) {
  if (!(v.watch < v.warning && v.warning < v.critical))
    throw AppError.badRequest('flood.thresholds_order', msg('flood.levels_rise'), [
      { path: '/warning', message: msg('flood.levels_rise') },
    ]);
}

/** What the station service needs of the live rules engine (`app.rules.evaluator`). */
export interface RuleHooks {
  resolveOpen(tx: Executor, ruleId: string): Promise<void>;
  refresh(): Promise<void>;
}

/**
 * Stations: a water-level or rain device with the levels at which each status begins. Setting or
 * changing the levels keeps the station's warning and critical rules in step (./rules.ts).
 */
export class StationService {
  readonly repo: FloodRepository;

  constructor(
    private readonly db: Db,
    private readonly rules?: RuleHooks,
  ) {
    this.repo = new FloodRepository(db);
  }

  private async syncRules(tx: Executor, id: string, actor: Actor): Promise<boolean> {
    const station = (await this.repo.station(id, tx))!;
    const r = await syncStationRules(this.db, tx, station, actor, (t, ruleId) =>
      this.rules ? this.rules.resolveOpen(t, ruleId) : Promise.resolve(),
    );
    return r.created.length + r.updated.length + r.deleted.length > 0;
  }

  async list(now = new Date()): Promise<Station[]> {
    const rows = await this.repo.stations();
    const out: Station[] = [];
    for (const s of rows) out.push(await describe(this.repo, s, now));
    return out;
  }

  async get(id: string, hours = 24, now = new Date()) {
    const s = await this.repo.station(id);
    if (!s) throw AppError.notFound('resource.not_found', msg('flood.no_station'));
    const from = new Date(now.getTime() - hours * 3600_000);
    const [station, series] = await Promise.all([
      describe(this.repo, s, now),
      this.repo.series(s, from, now),
    ]);
    return { ...station, from: from.toISOString(), to: now.toISOString(), series };
  }

  private mayKeep(principal: Principal, officeId: string) {
    if (officeBoundRoles.includes(principal.role) && officeId !== principal.officeId)
      throw AppError.forbidden('flood.other_office');
  }

  async create(input: NewStation, principal: Principal, actor: Actor) {
    checkOrder(input);
    const device = await this.repo.deviceQuantities(input.deviceId);
    if (!device)
      throw AppError.badRequest('resource.reference_invalid', msg('field.unknown_device'), [
        { path: '/deviceId', message: msg('field.unknown_device') },
      ]);
    this.mayKeep(principal, device.officeId);
    const measured = stationQuantities.find((q) =>
      device.quantities.some((d) => d.quantity === q.quantity && (!d.unit || d.unit === q.unit)),
    );
    if (!measured)
      throw AppError.badRequest('flood.not_a_station', msg('flood.measures_neither'), [
        { path: '/deviceId', message: msg('flood.measures_neither') },
      ]);
    const id = await this.db.transaction(async (tx) => {
      const created = await this.repo.insertStation(tx, {
        deviceId: input.deviceId,
        kind: measured.kind,
        quantity: measured.quantity,
        nameTh: input.nameTh,
        nameEn: input.nameEn,
        datum: input.datum ?? 'gauge zero',
        watch: input.watch,
        warning: input.warning,
        critical: input.critical,
        bankFull: input.bankFull ?? null,
      });
      if (!created) throw AppError.conflict('flood.station_exists', msg('flood.device_is_station'));
      await audit(tx, actor, {
        action: 'flood.station.create',
        resourceType: 'flood.station',
        resourceId: created,
        detail: { deviceId: input.deviceId },
      });
      await publishStation(tx, this.repo, (await this.repo.station(created, tx))!);
      await this.syncRules(tx, created, actor);
      return created;
    });
    await this.rules?.refresh();
    return this.get(id);
  }

  async update(id: string, patch: StationPatchInput, principal: Principal, actor: Actor) {
    const current = await this.repo.station(id);
    if (!current) throw AppError.notFound('resource.not_found', msg('flood.no_station'));
    this.mayKeep(principal, current.officeId);
    const next: StationValues = {
      nameTh: patch.nameTh ?? current.nameTh,
      nameEn: patch.nameEn ?? current.nameEn,
      datum: patch.datum ?? current.datum,
      watch: patch.watch ?? current.watch,
      warning: patch.warning ?? current.warning,
      critical: patch.critical ?? current.critical,
      bankFull: patch.bankFull === undefined ? current.bankFull : patch.bankFull,
    };
    checkOrder(next);
    const changed = await this.db.transaction(async (tx) => {
      if (!(await this.repo.updateStation(tx, id, next)))
        throw AppError.notFound('resource.not_found', msg('flood.no_station'));
      await audit(tx, actor, {
        action: 'flood.station.update',
        resourceType: 'flood.station',
        resourceId: id,
        detail: {
          fields: Object.keys(patch),
          before: { watch: current.watch, warning: current.warning, critical: current.critical },
        },
      });
      await publishStation(tx, this.repo, (await this.repo.station(id, tx))!);
      return this.syncRules(tx, id, actor);
    });
    if (changed) await this.rules?.refresh();
    return this.get(id);
  }
}
