import type { Db } from '../../core/db/index.ts';
import { type AreaWithGeometry, type Office, OrgRepository } from '../../core/org/repository.ts';
import { mueangContextUrl } from './contexts/index.ts';
import { contextService } from './service.ts';

/**
 * The municipality's organisation (offices, zones, communities) as NGSI-LD entities, so one query can
 * join a sensor or a complaint to the zone and office it belongs to. Smart Data Models has no type for
 * a municipal office, zone or community, so these are the `Mueang…` types of docs/data-models.md.
 * Ids are built from the stable codes, not the database UUIDs, so they survive a backup and restore.
 */
export const officeId = (code: string) => `urn:ngsi-ld:MueangOffice:${code}`;
export const zoneId = (code: string) => `urn:ngsi-ld:MueangZone:${code}`;
export const communityId = (code: string) => `urn:ngsi-ld:MueangCommunity:${code}`;

const property = (value: unknown) => ({ type: 'Property', value });
const names = (a: { nameTh: string; nameEn: string }) => ({
  name: { type: 'LanguageProperty', languageMap: { th: a.nameTh, en: a.nameEn } },
  nameTh: property(a.nameTh),
  nameEn: property(a.nameEn),
});

export function organisationEntities(
  offices: Office[],
  zones: AreaWithGeometry[],
  communities: AreaWithGeometry[],
): Record<string, unknown>[] {
  const officeCode = new Map(offices.map((o) => [o.id, o.code]));
  const zoneCode = new Map(zones.map((z) => [z.id, z.code]));
  const area = (type: string, a: AreaWithGeometry, id: string) => ({
    id,
    type,
    code: property(a.code),
    ...names(a),
    location: { type: 'GeoProperty', value: a.geometry },
    synthetic: property(a.synthetic),
  });
  return [
    ...offices.map((o) => {
      const parent = o.parentId ? officeCode.get(o.parentId) : undefined;
      return {
        id: officeId(o.code),
        type: 'MueangOffice',
        code: property(o.code),
        ...names(o),
        officeKind: property(o.kind),
        services: property(o.services),
        ...(parent ? { refParentOffice: { type: 'Relationship', object: officeId(parent) } } : {}),
      };
    }),
    ...zones.map((z) => area('MueangZone', z, zoneId(z.code))),
    ...communities.map((c) => ({
      ...area('MueangCommunity', c, communityId(c.code)),
      ...(c.zoneId && zoneCode.has(c.zoneId)
        ? { refZone: { type: 'Relationship', object: zoneId(zoneCode.get(c.zoneId)!) } }
        : {}),
    })),
  ];
}

/**
 * Publishes the organisation to the broker (default tenant) in one transaction. Idempotent: an
 * entity whose content has not changed is not written again, so a second seed or a restart adds
 * neither entities nor history. Returns how many entities were written.
 */
export async function publishOrganisation(db: Db): Promise<number> {
  const org = new OrgRepository(db);
  const entities = organisationEntities(await org.listOffices(), await org.zones(), await org.communities());
  const service = contextService(db);
  return db.transaction(async (tx) => {
    let written = 0;
    for (const e of entities) if (await service.publish(tx, e, { context: mueangContextUrl })) written++;
    return written;
  });
}
