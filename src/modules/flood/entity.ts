import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../../core/db/index.ts';
import { type Change, contextService } from '../../platform/context/service.ts';
import type { FloodRepository, StationRow } from './repository.ts';
import { describe } from './stations.ts';

/**
 * Water-level stations are published as Smart Data Models `FloodMonitoring` entities
 * (dataModel.Environment): currentLevel, alertLevel (our warning line), dangerLevel (our critical
 * line), referenceLevel (bank-full, when known), floodLevelStatus and observationDateTime. The SDM
 * example gives the last three the attribute type "string", which is not NGSI-LD: they are
 * Properties here. Rain gauges have no SDM flood type and are not published as FloodMonitoring.
 */
export const entityType = 'FloodMonitoring';
export const stationEntityId = (id: string) => `urn:ngsi-ld:${entityType}:${id}`;

const sdmContext = 'https://smartdatamodels.org/context.jsonld';

export async function publishStation(tx: Executor, repo: FloodRepository, s: StationRow, now = new Date()) {
  if (s.kind !== 'water_level') return false;
  const d = await describe(repo, s, now, tx);
  const entity: Record<string, unknown> = {
    id: stationEntityId(s.id),
    type: entityType,
    name: { type: 'Property', value: s.nameEn },
    stationID: { type: 'Property', value: s.devEui },
    location: {
      type: 'GeoProperty',
      value: { type: 'Point', coordinates: [s.location.lon, s.location.lat] },
    },
    alertLevel: { type: 'Property', value: s.warning, unitCode: 'MTR' },
    dangerLevel: { type: 'Property', value: s.critical, unitCode: 'MTR' },
    floodLevelStatus: { type: 'Property', value: d.status },
  };
  if (s.bankFull !== null) entity.referenceLevel = { type: 'Property', value: s.bankFull, unitCode: 'MTR' };
  if (d.level !== null) entity.currentLevel = { type: 'Property', value: d.level, unitCode: 'MTR' };
  if (d.lastReadingAt) entity.observationDateTime = { type: 'Property', value: d.lastReadingAt };
  return contextService(repo.db).publish(tx, entity, { context: sdmContext });
}

const deviceEntity = /^urn:ngsi-ld:[A-Za-z][A-Za-z0-9_]*:([0-9a-f]{16})$/;
const hooked = new WeakSet<Db>();

/**
 * Keeps the FloodMonitoring entities current: when the ingest path writes a device's entity (in the
 * transaction that stores its readings), the stations of those devices are published again in the
 * same transaction, so the broker's flood status never lags the readings. Once per database.
 */
export function followReadings(db: Db, repoOf: (db: Db) => FloodRepository) {
  if (hooked.has(db)) return;
  hooked.add(db);
  const euisOf = (tenant: string, changes: Change[]) =>
    tenant === '' ? changes.flatMap((c) => deviceEntity.exec(c.id)?.[1] ?? []) : [];
  const listener = async (tx: Executor, tenant: string, changes: Change[]) => {
    const euis = euisOf(tenant, changes);
    if (!euis.length) return;
    const repo = repoOf(db);
    for (const s of await repo.stationsOfDevices(euis, tx)) await publishStation(tx, repo, s);
  };
  // Changes of other entities than devices' need no transaction for this listener.
  const idle = (tenant: string, changes: Change[]) => (euisOf(tenant, changes).length ? null : sql`true`);
  contextService(db).onChange(Object.assign(listener, { idle }));
}
