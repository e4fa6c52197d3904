import { type Actor, audit } from '../../core/audit/audit.ts';
import { mustKeep, ownerOffice } from '../../core/auth/offices.ts';
import type { Principal } from '../../core/auth/roles.ts';
import type { Db } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';
import { OrgRepository } from '../../core/org/repository.ts';
import { contextService } from '../context/service.ts';
import type { DecoderConfig } from '../ingestion/decoders.ts';
import { DeviceRepository, type NewDevice } from './repository.ts';
import { chooseResolution, type Resolution, rawEstimate, rollupSeries } from './rollups.ts';
import type {
  Device,
  DeviceFilter,
  DeviceInput,
  DevicePatchInput,
  ProfileInput,
  ProfilePatchInput,
  ReadingsFilter,
} from './schemas.ts';

/** The NGSI-LD id of a device's entity. */
export const deviceEntityId = (entityType: string, devEui: string) => `urn:ngsi-ld:${entityType}:${devEui}`;

/** Staff who keep the sensor network; office-bound roles keep only their own office's devices. */
export const keepers = ['admin', 'office_manager', 'officer'] as const;

/** The rules of the device registry; knows nothing of HTTP. */
export class DeviceService {
  readonly repo: DeviceRepository;
  private readonly org: OrgRepository;

  constructor(private readonly db: Db) {
    this.repo = new DeviceRepository(db);
    this.org = new OrgRepository(db);
  }

  async getProfile(id: string) {
    const p = await this.repo.profile(id);
    if (!p) throw AppError.notFound('resource.not_found', msg('devices.no_such_profile'));
    return p;
  }

  createProfile(input: ProfileInput, actor: Actor) {
    return this.db.transaction(async (tx) => {
      if (await this.repo.profileByName(input.name, tx))
        throw AppError.conflict('resource.conflict', msg('devices.profile_name_taken'));
      const created = await this.repo.insertProfile(tx, {
        name: input.name,
        decoder: input.decoder as DecoderConfig,
        quantities: input.quantities ?? [],
        entityType: input.entityType ?? 'Device',
        rawRetentionDays: input.rawRetentionDays,
        rollupRetentionDays: input.rollupRetentionDays,
      });
      await audit(tx, actor, {
        action: 'devices.profile.create',
        resourceType: 'devices.profile',
        resourceId: created.id,
      });
      return created;
    });
  }

  updateProfile(id: string, patch: ProfilePatchInput, actor: Actor) {
    return this.db.transaction(async (tx) => {
      const current = await this.repo.profile(id, tx);
      if (!current) throw AppError.notFound('resource.not_found', msg('devices.no_such_profile'));
      if (patch.name && patch.name !== current.name && (await this.repo.profileByName(patch.name, tx)))
        throw AppError.conflict('resource.conflict', msg('devices.profile_name_taken'));
      const updated = await this.repo.updateProfile(tx, id, {
        name: patch.name ?? current.name,
        decoder: (patch.decoder ?? current.decoder) as DecoderConfig,
        quantities: patch.quantities ?? current.quantities,
        entityType: patch.entityType ?? current.entityType,
        rawRetentionDays:
          patch.rawRetentionDays === undefined ? current.rawRetentionDays : patch.rawRetentionDays,
        rollupRetentionDays:
          patch.rollupRetentionDays === undefined ? current.rollupRetentionDays : patch.rollupRetentionDays,
      });
      await audit(tx, actor, {
        action: 'devices.profile.update',
        resourceType: 'devices.profile',
        resourceId: id,
        detail: { fields: Object.keys(patch) },
      });
      return updated!;
    });
  }

  deleteProfile(id: string, actor: Actor) {
    return this.db.transaction(async (tx) => {
      const using = await this.repo.devicesUsing(id, tx);
      if (using > 0)
        throw AppError.conflict('devices.profile_in_use', msg('devices.profile_used_by', { count: using }));
      if (!(await this.repo.deleteProfile(tx, id)))
        throw AppError.notFound('resource.not_found', msg('devices.no_such_profile'));
      await audit(tx, actor, {
        action: 'devices.profile.delete',
        resourceType: 'devices.profile',
        resourceId: id,
      });
    });
  }

  list(filter: DeviceFilter) {
    return this.repo.listDevices(filter);
  }

  async get(id: string) {
    const d = await this.repo.device(id);
    if (!d) throw AppError.notFound('resource.not_found', msg('devices.no_such_device'));
    return d;
  }

  /** Latest values, and the readings of a range (the last 24 hours unless given). */
  async readings(id: string, f: ReadingsFilter) {
    await this.get(id);
    const to = f.to ? new Date(f.to) : new Date();
    const from = f.from ? new Date(f.from) : new Date(to.getTime() - 24 * 3600_000);
    if (!(from < to))
      throw AppError.badRequest('request.invalid', msg('request.from_after_to'), [
        { path: '/from', message: msg('request.from_after_to') },
      ]);
    const range = { from: from.toISOString(), to: to.toISOString(), quantity: f.quantity };
    let resolution: Resolution = f.resolution && f.resolution !== 'auto' ? f.resolution : 'raw';
    if (!f.resolution || f.resolution === 'auto') {
      const raw = await rawEstimate(this.db, id, range);
      resolution = chooseResolution(to.getTime() - from.getTime(), raw.points, raw.rawKept);
    }
    const limit = f.limit ?? 1000;
    const latest = await this.repo.latest(id);
    const series =
      resolution === 'raw'
        ? await this.repo.series(id, { ...range, limit })
        : await rollupSeries(this.db, id, resolution, { ...range, limit });
    return { latest, from: range.from, to: range.to, resolution, series };
  }

  private officeFor(principal: Principal, requested: string | undefined): string {
    return ownerOffice(principal, requested, 'devices.other_office');
  }

  private mayKeep(principal: Principal, device: Device) {
    mustKeep(principal, device.officeId, 'devices.other_office');
  }

  private place(lon: number, lat: number) {
    return this.org.zoneOf(lon, lat);
  }

  async create(input: DeviceInput, principal: Principal, actor: Actor) {
    const officeId = this.officeFor(principal, input.officeId);
    const zoneCode = await this.place(input.location.lon, input.location.lat);
    const devEui = input.devEui.toLowerCase();
    return this.db.transaction(async (tx) => {
      if (await this.repo.deviceIdByEui(devEui, tx))
        throw AppError.conflict('devices.dev_eui_taken', msg('devices.dev_eui_registered', { devEui }));
      if (!(await this.repo.profile(input.profileId, tx)))
        throw AppError.badRequest('resource.reference_invalid', msg('field.unknown_profile'), [
          { path: '/profileId', message: msg('field.unknown_profile') },
        ]);
      const created = await this.repo.insertDevice(tx, {
        devEui,
        name: input.name,
        profileId: input.profileId,
        officeId,
        lon: input.location.lon,
        lat: input.location.lat,
        zoneCode,
        installedOn: input.installedOn ?? null,
        tags: input.tags ?? [],
      });
      await audit(tx, actor, {
        action: 'devices.device.create',
        resourceType: 'devices.device',
        resourceId: created.id,
        detail: { devEui },
      });
      return created;
    });
  }

  async update(id: string, patch: DevicePatchInput, principal: Principal, actor: Actor) {
    const current = await this.get(id);
    this.mayKeep(principal, current);
    const officeId = patch.officeId ? this.officeFor(principal, patch.officeId) : current.officeId;
    const location = patch.location ?? current.location;
    const zoneCode = patch.location ? await this.place(location.lon, location.lat) : current.zoneCode;
    const next: Omit<NewDevice, 'devEui'> = {
      name: patch.name ?? current.name,
      profileId: patch.profileId ?? current.profileId,
      officeId,
      lon: location.lon,
      lat: location.lat,
      zoneCode,
      installedOn: patch.installedOn ?? current.installedOn,
      tags: patch.tags ?? current.tags,
    };
    return this.db.transaction(async (tx) => {
      if (patch.profileId && !(await this.repo.profile(patch.profileId, tx)))
        throw AppError.badRequest('resource.reference_invalid', msg('field.unknown_profile'), [
          { path: '/profileId', message: msg('field.unknown_profile') },
        ]);
      const updated = await this.repo.updateDevice(tx, id, next);
      if (!updated) throw AppError.notFound('resource.not_found', msg('devices.no_such_device'));
      await audit(tx, actor, {
        action: 'devices.device.update',
        resourceType: 'devices.device',
        resourceId: id,
        detail: { fields: Object.keys(patch) },
      });
      return updated;
    });
  }

  async remove(id: string, principal: Principal, actor: Actor) {
    const current = await this.get(id);
    this.mayKeep(principal, current);
    const profile = await this.repo.profile(current.profileId);
    await this.db.transaction(async (tx) => {
      if (!(await this.repo.deleteDevice(tx, id)))
        throw AppError.notFound('resource.not_found', msg('devices.no_such_device'));
      // Its entity in the context broker goes with it (the ingest path names it this way).
      if (profile)
        await contextService(this.db).remove(tx, deviceEntityId(profile.entityType, current.devEui));
      await audit(tx, actor, {
        action: 'devices.device.delete',
        resourceType: 'devices.device',
        resourceId: id,
        detail: { devEui: current.devEui },
      });
    });
  }
}
