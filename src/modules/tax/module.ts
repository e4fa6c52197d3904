import { join } from 'node:path';
import type { ModuleManifest } from '../../core/modules.ts';
import en from './locales/en.json' with { type: 'json' };
import th from './locales/th.json' with { type: 'json' };
import { yearTotals } from './reports.ts';
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
      // Tax received (paid instalments included) / tax billed; late charges do not lift it (reports.ts).
      async compute(db) {
        const y = await yearTotals(db, currentYear());
        return y.billedSatang ? y.taxSatang / y.billedSatang : null;
      },
    },
    {
      // Local revenue is an Economy figure too (issue 7: the reports feed Governance and Economy).
      id: 'tax-revenue-collected',
      names: { th: th.kpiRevenue, en: en.kpiRevenue },
      unit: 'THB',
      dimension: 'economy',
      // All money received for the year's bills: tax, paid instalments and late charges (reports.ts).
      async compute(db) {
        const y = await yearTotals(db, currentYear());
        return y.bills ? (y.taxSatang + y.chargesSatang) / 100 : null;
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
