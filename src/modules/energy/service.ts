import { type Actor, audit } from '../../core/audit/audit.ts';
import { mustKeep, ownerOffice } from '../../core/auth/offices.ts';
import type { Principal } from '../../core/auth/roles.ts';
import type { Db } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';
import { OrgRepository } from '../../core/org/repository.ts';
import { DeviceRepository } from '../../platform/devices/repository.ts';
import { dailyEnergy } from './counters.ts';
import { gridFactor } from './factor.ts';
import { aggregate, type Feeds } from './figures.ts';
import { EnergyRepository, type NewBuilding } from './repository.ts';
import type {
  Building,
  BuildingInput,
  BuildingPatchInput,
  Installation,
  InstallationInput,
  InstallationPatchInput,
  Period,
} from './schemas.ts';

/** Longest range one request may ask for, in days (ten years of daily figures). */
export const maxRangeDays = 3700;

export const bangkokDay = (d: Date) => d.toLocaleDateString('sv-SE', { timeZone: 'Asia/Bangkok' });
const addDays = (day: string, n: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

/** The default range of each view, ending today (Bangkok). */
export function defaultRange(by: Period, today = bangkokDay(new Date())): { from: string; to: string } {
  if (by === 'day') return { from: addDays(today, -29), to: today };
  if (by === 'month') {
    const d = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() - 11);
    return { from: d.toISOString().slice(0, 10), to: today };
  }
  return { from: `${Number(today.slice(0, 4)) - 4}-01-01`, to: today };
}

function feedsOf(installations: Installation[]): Feeds & { deviceIds: string[] } {
  const pv = installations.filter((i) => i.kind === 'pv' && i.deviceId).map((i) => i.deviceId!);
  const meters = installations.filter((i) => i.kind === 'meter' && i.deviceId).map((i) => i.deviceId!);
  return {
    pvDevices: new Set(pv),
    meterDevices: new Set(meters),
    metered: installations.some((i) => i.kind === 'meter'),
    deviceIds: [...pv, ...meters],
  };
}

/** The energy register and its figures; knows nothing of HTTP. */
export class EnergyService {
  readonly repo: EnergyRepository;
  private readonly org: OrgRepository;
  private readonly devices: DeviceRepository;

  constructor(private readonly db: Db) {
    this.repo = new EnergyRepository(db);
    this.org = new OrgRepository(db);
    this.devices = new DeviceRepository(db);
  }

  buildings() {
    return this.repo.buildings();
  }

  async building(id: string): Promise<Building> {
    const b = await this.repo.building(id);
    if (!b) throw AppError.notFound('energy.building_not_found', msg('energy.no_building', { id }));
    return b;
  }

  /** Generation, grid exchange and CO2 avoided of one building or the whole city, per period. */
  async figures(by: Period, from: string | undefined, to: string | undefined, buildingId?: string) {
    const range = defaultRange(by);
    const fromDay = from ?? range.from;
    const toDay = to ?? (from ? addDays(fromDay, by === 'day' ? 29 : by === 'month' ? 364 : 1824) : range.to);
    if (toDay < fromDay) throw AppError.badRequest('energy.bad_range', msg('request.from_after_to'));
    const days = (Date.parse(toDay) - Date.parse(fromDay)) / 86_400_000;
    if (days > maxRangeDays)
      throw AppError.badRequest('energy.bad_range', msg('request.at_most_days', { days: maxRangeDays }));
    if (buildingId) await this.building(buildingId);
    const feeds = feedsOf(await this.repo.installations(buildingId));
    const factor = gridFactor();
    const energy = await dailyEnergy(this.db, feeds.deviceIds, fromDay, toDay);
    return {
      by,
      from: fromDay,
      to: toDay,
      factor,
      ...aggregate(energy, feeds, by, fromDay, toDay, factor.kgCo2PerKWh),
    };
  }

  /** A green-building page: the building, its installations, the last 365 days and its energy intensity. */
  async buildingPage(id: string) {
    const building = await this.building(id);
    const installations = await this.repo.installations(id);
    const today = bangkokDay(new Date());
    const { totals, factor } = await this.figures('year', addDays(today, -364), today, id);
    const intensity =
      totals.consumedKWh === null
        ? null
        : Math.round((totals.consumedKWh / building.floorAreaM2) * 100) / 100;
    return { building, installations, lastYear: totals, intensityKWhPerM2Year: intensity, factor };
  }

  /** The city's GHG summary for this calendar year (Bangkok) to date. */
  async summary() {
    const today = bangkokDay(new Date());
    const year = today.slice(0, 4);
    const [buildings, figures] = await Promise.all([
      this.repo.buildings(),
      this.figures('year', `${year}-01-01`, today),
    ]);
    return {
      year,
      buildings: buildings.length,
      installedKwp: Math.round(buildings.reduce((s, b) => s + b.kwp, 0) * 100) / 100,
      totals: figures.totals,
      factor: figures.factor,
    };
  }

  private officeFor(principal: Principal, requested: string | undefined): string {
    return ownerOffice(principal, requested, 'energy.other_office');
  }

  private mayKeep(principal: Principal, building: Building) {
    mustKeep(principal, building.officeId, 'energy.other_office');
  }

  private zone(lon: number, lat: number) {
    return this.org.zoneOf(lon, lat);
  }

  private async office(id: string) {
    const offices = await this.org.listOffices();
    if (!offices.some((o) => o.id === id))
      throw AppError.badRequest('resource.reference_invalid', msg('field.unknown_office'), [
        { path: '/officeId', message: msg('field.unknown_office') },
      ]);
  }

  async createBuilding(input: BuildingInput, principal: Principal, actor: Actor) {
    const officeId = this.officeFor(principal, input.officeId);
    await this.office(officeId);
    const zoneCode = await this.zone(input.location.lon, input.location.lat);
    const id = await this.db.transaction(async (tx) => {
      const id = await this.repo.insertBuilding(tx, { ...input, officeId, zoneCode, ...input.location });
      await audit(tx, actor, {
        action: 'energy.building.create',
        resourceType: 'energy.building',
        resourceId: id,
      });
      return id;
    });
    return this.building(id);
  }

  async updateBuilding(id: string, patch: BuildingPatchInput, principal: Principal, actor: Actor) {
    const current = await this.building(id);
    this.mayKeep(principal, current);
    const officeId = patch.officeId ? this.officeFor(principal, patch.officeId) : current.officeId;
    if (patch.officeId) await this.office(officeId);
    const location = patch.location ?? current.location;
    const next: NewBuilding = {
      nameTh: patch.nameTh ?? current.nameTh,
      nameEn: patch.nameEn ?? current.nameEn,
      officeId,
      lon: location.lon,
      lat: location.lat,
      zoneCode: patch.location ? await this.zone(location.lon, location.lat) : current.zoneCode,
      floorAreaM2: patch.floorAreaM2 ?? current.floorAreaM2,
      kind: patch.kind ?? current.kind,
    };
    await this.db.transaction(async (tx) => {
      if (!(await this.repo.updateBuilding(tx, id, next)))
        throw AppError.notFound('energy.building_not_found');
      await audit(tx, actor, {
        action: 'energy.building.update',
        resourceType: 'energy.building',
        resourceId: id,
        detail: { fields: Object.keys(patch) },
      });
    });
    return this.building(id);
  }

  async removeBuilding(id: string, principal: Principal, actor: Actor) {
    this.mayKeep(principal, await this.building(id));
    await this.db.transaction(async (tx) => {
      if (!(await this.repo.deleteBuilding(tx, id))) throw AppError.notFound('energy.building_not_found');
      await audit(tx, actor, {
        action: 'energy.building.delete',
        resourceType: 'energy.building',
        resourceId: id,
      });
    });
  }

  async addInstallation(buildingId: string, input: InstallationInput, principal: Principal, actor: Actor) {
    this.mayKeep(principal, await this.building(buildingId));
    const deviceId = input.deviceId ?? null;
    if (deviceId && !(await this.devices.device(deviceId)))
      throw AppError.badRequest('resource.reference_invalid', msg('field.unknown_device'), [
        { path: '/deviceId', message: msg('field.unknown_device') },
      ]);
    return this.db.transaction(async (tx) => {
      if (deviceId && (await this.repo.deviceTaken(deviceId, tx)))
        throw AppError.conflict('energy.device_taken', msg('energy.device_feeds', { device: deviceId }));
      const created = await this.repo.insertInstallation(tx, {
        buildingId,
        kind: input.kind,
        name: input.name,
        kwp: input.kind === 'pv' ? input.kwp : null,
        installedOn: input.installedOn ?? null,
        deviceId,
      });
      await audit(tx, actor, {
        action: 'energy.installation.create',
        resourceType: 'energy.installation',
        resourceId: created.id,
        detail: { buildingId, kind: input.kind },
      });
      return created;
    });
  }

  async updateInstallation(id: string, patch: InstallationPatchInput, principal: Principal, actor: Actor) {
    const current = await this.repo.installation(id);
    if (!current) throw AppError.notFound('energy.installation_not_found');
    this.mayKeep(principal, await this.building(current.buildingId));
    if (patch.kwp !== undefined && current.kind !== 'pv')
      throw AppError.badRequest('request.invalid', msg('energy.meter_no_kwp'), [
        { path: '/kwp', message: msg('energy.meter_no_kwp') },
      ]);
    const deviceId = patch.deviceId === undefined ? current.deviceId : patch.deviceId;
    if (patch.deviceId && !(await this.devices.device(patch.deviceId)))
      throw AppError.badRequest('resource.reference_invalid', msg('field.unknown_device'), [
        { path: '/deviceId', message: msg('field.unknown_device') },
      ]);
    return this.db.transaction(async (tx) => {
      if (deviceId && (await this.repo.deviceTaken(deviceId, tx, id)))
        throw AppError.conflict('energy.device_taken', msg('energy.device_feeds', { device: deviceId }));
      const updated = await this.repo.updateInstallation(tx, id, {
        name: patch.name ?? current.name,
        kwp: patch.kwp ?? current.kwp,
        installedOn: patch.installedOn === undefined ? current.installedOn : patch.installedOn,
        deviceId,
      });
      await audit(tx, actor, {
        action: 'energy.installation.update',
        resourceType: 'energy.installation',
        resourceId: id,
        detail: { fields: Object.keys(patch) },
      });
      return updated;
    });
  }

  async removeInstallation(id: string, principal: Principal, actor: Actor) {
    const current = await this.repo.installation(id);
    if (!current) throw AppError.notFound('energy.installation_not_found');
    this.mayKeep(principal, await this.building(current.buildingId));
    await this.db.transaction(async (tx) => {
      await this.repo.deleteInstallation(tx, id);
      await audit(tx, actor, {
        action: 'energy.installation.delete',
        resourceType: 'energy.installation',
        resourceId: id,
        detail: { buildingId: current.buildingId },
      });
    });
  }
}
