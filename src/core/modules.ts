import type { FastifyPluginAsync } from 'fastify';
import type { Role } from './auth/roles.ts';
import type { Db } from './db/index.ts';
import type { Events } from './events/outbox.ts';

export const dimensions = [
  'people',
  'living',
  'education',
  'environment',
  'economy',
  'governance',
  'mobility',
] as const;
export type Dimension = (typeof dimensions)[number];

export interface Names {
  th: string;
  en: string;
}

export interface Kpi {
  id: string;
  names: Names;
  unit: string;
  /**
   * The dimension this KPI feeds, when it is not its module's (e.g. tax revenue, from a Governance
   * module, is an Economy figure). Read it through `kpiDimension`.
   */
  dimension?: Dimension;
  /** Computes the current value; null when there is no data yet. */
  compute(db: Db): Promise<number | null>;
}

export interface SeedContext {
  db: Db;
  events: Events;
  /** Ids of the demo offices by code, so a module can assign its work to the right one. */
  offices: Map<string, string>;
}

/** One city service declares everything about itself here; `src/modules/index.ts` lists them all. */
export interface ModuleManifest {
  id: string;
  dimension: Dimension;
  names: Names;
  description?: Names;
  /** Folder of this module's SQL migrations, applied after core's, in the order of the module list. */
  migrationsDir?: string;
  /** Registered under `/api/<id>`. */
  routes?: FastifyPluginAsync;
  /** Registered at the root, for paths an outside standard fixes (e.g. Open311's `/open311/v2/`). */
  rootRoutes?: FastifyPluginAsync;
  /** NGSI-LD entity types this module publishes to the context broker. */
  entityTypes?: string[];
  kpis?: Kpi[];
  /** Khon Kaen demo data (synthetic, labelled so); runs only when DEMO is on, and must be idempotent. */
  seed?: (ctx: SeedContext) => Promise<void>;
  /** Path of the module's page in the web app; without one the home page shows the module as coming. */
  webPath?: string;
  /** Named permissions of this module and the roles that hold them. */
  permissions?: Record<string, Role[]>;
}

export function checkManifests(modules: ModuleManifest[]): void {
  const seen = new Set<string>();
  for (const m of modules) {
    if (!/^[a-z][a-z0-9-]{1,30}$/.test(m.id)) throw new Error(`Module id "${m.id}" must be lower-case kebab`);
    if (seen.has(m.id)) throw new Error(`Module "${m.id}" is listed twice`);
    if (!dimensions.includes(m.dimension)) throw new Error(`Module "${m.id}" has unknown dimension`);
    seen.add(m.id);
    const kpis = new Set<string>();
    for (const k of m.kpis ?? []) {
      if (kpis.has(k.id)) throw new Error(`Module "${m.id}" lists KPI "${k.id}" twice`);
      if (k.dimension !== undefined && !dimensions.includes(k.dimension))
        throw new Error(`KPI "${k.id}" of module "${m.id}" has unknown dimension`);
      kpis.add(k.id);
    }
  }
}

/** The dimension a KPI is counted under: its own if it names one, else its module's. */
export function kpiDimension(module: ModuleManifest, kpi: Kpi): Dimension {
  return kpi.dimension ?? module.dimension;
}

/** Every module's KPIs grouped by the dimension they feed (a dashboard's view of them). */
export function kpisByDimension(
  modules: ModuleManifest[],
): Map<Dimension, { module: ModuleManifest; kpi: Kpi }[]> {
  const grouped = new Map<Dimension, { module: ModuleManifest; kpi: Kpi }[]>(dimensions.map((d) => [d, []]));
  for (const module of modules)
    for (const kpi of module.kpis ?? []) grouped.get(kpiDimension(module, kpi))!.push({ module, kpi });
  return grouped;
}
