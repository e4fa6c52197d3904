import type { Db } from './core/db/index.ts';
import type { Events } from './core/events/outbox.ts';
import type { ModuleManifest } from './core/modules.ts';
import { OrgRepository } from './core/org/repository.ts';
import { seedDemo } from './core/seed.ts';
import { publishOrganisation } from './platform/context/organisation.ts';
import { seedDevices } from './platform/devices/seed.ts';
import { seedRules } from './platform/rules/seed.ts';

/**
 * The whole Khon Kaen demo: core's organisation and accounts, each module's data, then the
 * organisation published to the NGSI-LD broker. It sits here, at the composition root, because the
 * platform builds on core (it reads core's organisation tables): core's seed calling the broker would
 * make core depend on the platform. With `sensors`, the synthetic sensor network too (devices, a day
 * of readings, their entities; off in test apps, whose NGSI-LD tests count entities). Safe to run
 * again: nothing is duplicated or rewritten.
 */
export async function seedCity(
  db: Db,
  events: Events,
  modules: ModuleManifest[],
  options: { sensors?: boolean } = {},
): Promise<void> {
  await seedDemo(db, events, modules);
  await publishOrganisation(db);
  if (options.sensors) {
    const offices = await new OrgRepository(db).listOffices();
    const byCode = new Map(offices.map((o) => [o.code, o.id]));
    await seedDevices(db, byCode);
    await seedRules(db, byCode);
  }
}
