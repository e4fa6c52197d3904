import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { ModuleManifest } from '../../core/modules.ts';
import en from './locales/en.json' with { type: 'json' };
import th from './locales/th.json' with { type: 'json' };
import { taxRoutes } from './routes.ts';
import { seed } from './seed.ts';

/** The current Thai tax year (Buddhist Era). */
const currentYear = () => new Date().getFullYear() + 543;

export const taxModule: ModuleManifest = {
  id: 'tax',
  dimension: 'governance',
  names: { th: th.name, en: en.name },
  description: { th: th.description, en: en.description },
  migrationsDir: join(import.meta.dirname, 'migrations'),
  routes: taxRoutes,
  entityTypes: [],
  kpis: [
    {
      id: 'tax-collection-rate',
      names: { th: th.kpiCollection, en: en.kpiCollection },
      unit: 'ratio',
      async compute(db) {
        const [row] = await db.rows<{ rate: number | null }>(sql`
          SELECT (sum(amount_satang) FILTER (WHERE status = 'paid'))::float8 / NULLIF(sum(amount_satang), 0)::float8 AS rate
          FROM tax_bills WHERE tax_year = ${currentYear()} AND status <> 'cancelled'`);
        return row?.rate ?? null;
      },
    },
    {
      // Local revenue is an Economy figure too (issue 7: the reports feed Governance and Economy).
      id: 'tax-revenue-collected',
      names: { th: th.kpiRevenue, en: en.kpiRevenue },
      unit: 'THB',
      dimension: 'economy',
      async compute(db) {
        const [row] = await db.rows<{ baht: number | null }>(sql`
          SELECT (sum(amount_satang) / 100.0)::float8 AS baht
          FROM tax_bills WHERE tax_year = ${currentYear()} AND status = 'paid'`);
        return row?.baht ?? null;
      },
    },
  ],
  seed,
  webPath: '/tax',
  permissions: {
    keepRegister: ['admin', 'office_manager', 'officer'],
    readReports: ['admin', 'executive', 'office_manager', 'officer'],
  },
};
