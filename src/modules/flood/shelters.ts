import type { Feature, FeatureCollection, Point } from 'geojson';
import { type Actor, audit } from '../../core/audit/audit.ts';
import { mustKeep, ownerOffice } from '../../core/auth/offices.ts';
import type { Principal } from '../../core/auth/roles.ts';
import type { Db } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';
import { OrgRepository } from '../../core/org/repository.ts';
import { FloodRepository } from './repository.ts';
import type { Shelter, ShelterInput, ShelterPatchInput } from './schemas.ts';

/** Staff who keep shelters; office-bound roles keep only their own office's. */
export const shelterKeepers = ['admin', 'office_manager', 'officer'] as const;

/** Shelters and evacuation points: where people go when the water comes. */
export class ShelterService {
  readonly repo: FloodRepository;
  private readonly org: OrgRepository;

  constructor(private readonly db: Db) {
    this.repo = new FloodRepository(db);
    this.org = new OrgRepository(db);
  }

  list() {
    return this.repo.shelters();
  }

  async geojson(): Promise<FeatureCollection<Point>> {
    const features: Feature<Point>[] = (await this.repo.shelters()).map(({ location, ...props }) => ({
      type: 'Feature',
      id: props.id,
      geometry: { type: 'Point', coordinates: [location.lon, location.lat] },
      properties: props,
    }));
    return { type: 'FeatureCollection', features };
  }

  async get(id: string): Promise<Shelter> {
    const s = await this.repo.shelter(id);
    if (!s) throw AppError.notFound('resource.not_found', msg('flood.no_shelter'));
    return s;
  }

  private place(lon: number, lat: number) {
    return this.org.zoneOf(lon, lat);
  }

  private officeFor(principal: Principal, requested: string | undefined): string {
    return ownerOffice(principal, requested, 'flood.other_office');
  }

  private mayKeep(principal: Principal, s: Shelter) {
    mustKeep(principal, s.officeId, 'flood.other_office');
  }

  async create(input: ShelterInput, principal: Principal, actor: Actor) {
    const officeId = this.officeFor(principal, input.officeId);
    const zoneCode = await this.place(input.location.lon, input.location.lat);
    return this.db.transaction(async (tx) => {
      if (await this.repo.shelterIdByName(input.nameEn, tx))
        throw AppError.conflict('resource.conflict', msg('flood.shelter_name_taken'));
      const created = await this.repo.insertShelter(tx, {
        kind: input.kind,
        nameTh: input.nameTh,
        nameEn: input.nameEn,
        lon: input.location.lon,
        lat: input.location.lat,
        zoneCode,
        capacity: input.capacity,
        facilities: input.facilities ?? [],
        contact: input.contact ?? null,
        officeId,
      });
      await audit(tx, actor, {
        action: 'flood.shelter.create',
        resourceType: 'flood.shelter',
        resourceId: created.id,
      });
      return created;
    });
  }

  async update(id: string, patch: ShelterPatchInput, principal: Principal, actor: Actor) {
    const current = await this.get(id);
    this.mayKeep(principal, current);
    const location = patch.location ?? current.location;
    const zoneCode = patch.location ? await this.place(location.lon, location.lat) : current.zoneCode;
    return this.db.transaction(async (tx) => {
      const nameEn = patch.nameEn ?? current.nameEn;
      const other = await this.repo.shelterIdByName(nameEn, tx);
      if (other && other !== id)
        throw AppError.conflict('resource.conflict', msg('flood.shelter_name_taken'));
      const updated = await this.repo.updateShelter(tx, id, {
        kind: patch.kind ?? current.kind,
        nameTh: patch.nameTh ?? current.nameTh,
        nameEn,
        lon: location.lon,
        lat: location.lat,
        zoneCode,
        capacity: patch.capacity ?? current.capacity,
        facilities: patch.facilities ?? current.facilities,
        contact: patch.contact === undefined ? current.contact : patch.contact,
        officeId: current.officeId,
      });
      if (!updated) throw AppError.notFound('resource.not_found', msg('flood.no_shelter'));
      await audit(tx, actor, {
        action: 'flood.shelter.update',
        resourceType: 'flood.shelter',
        resourceId: id,
        detail: { fields: Object.keys(patch) },
      });
      return updated;
    });
  }

  async remove(id: string, principal: Principal, actor: Actor) {
    const current = await this.get(id);
    this.mayKeep(principal, current);
    await this.db.transaction(async (tx) => {
      if (!(await this.repo.deleteShelter(tx, id)))
        throw AppError.notFound('resource.not_found', msg('flood.no_shelter'));
      await audit(tx, actor, {
        action: 'flood.shelter.delete',
        resourceType: 'flood.shelter',
        resourceId: id,
        detail: { nameEn: current.nameEn },
      });
    });
  }
}
