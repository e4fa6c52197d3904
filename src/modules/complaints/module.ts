import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { ModuleManifest } from '../../core/modules.ts';
import en from './locales/en.json' with { type: 'json' };
import th from './locales/th.json' with { type: 'json' };
import { open311Root } from './open311.ts';
import { ComplaintsRepository } from './repository.ts';
import { complaintsRoutes } from './routes.ts';
import { seed } from './seed.ts';
import { entityType } from './service.ts';
import { kpiStats } from './stats.ts';

export const complaintsModule: ModuleManifest = {
  id: 'complaints',
  dimension: 'governance',
  names: { th: th.name, en: en.name },
  description: { th: th.description, en: en.description },
  migrationsDir: join(import.meta.dirname, 'migrations'),
  routes: complaintsRoutes,
  rootRoutes: open311Root,
  entityTypes: [entityType],
  kpis: [
    {
      id: 'complaints-open',
      names: { th: th.kpiOpen, en: en.kpiOpen },
      unit: 'count',
      async compute(db) {
        const [row] = await db.rows<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM complaints_requests
            WHERE status IN ('received', 'accepted', 'in_progress', 'forwarded', 'on_hold')`,
        );
        return row.n;
      },
    },
    {
      id: 'complaints-total',
      names: { th: th.kpiTotal, en: en.kpiTotal },
      unit: 'count',
      compute: (db) => new ComplaintsRepository(db).count(),
    },
    {
      id: 'complaints-within-sla',
      names: { th: th.kpiWithinSla, en: en.kpiWithinSla },
      unit: 'ratio',
      compute: async (db) => (await kpiStats(db)).withinSla.share,
    },
    {
      id: 'complaints-median-days-to-resolve',
      names: { th: th.kpiMedianDays, en: en.kpiMedianDays },
      unit: 'days',
      async compute(db) {
        const hours = (await kpiStats(db)).medianHoursToResolve;
        return hours === null ? null : Number((hours / 24).toFixed(2));
      },
    },
    {
      id: 'complaints-satisfaction',
      names: { th: th.kpiSatisfaction, en: en.kpiSatisfaction },
      unit: 'score',
      compute: async (db) => (await kpiStats(db)).satisfaction.average,
    },
  ],
  seed,
  webPath: '/complaints',
  permissions: {
    workRequests: ['admin', 'office_manager', 'officer'],
    readRequests: ['admin', 'executive', 'office_manager', 'officer'],
  },
};
