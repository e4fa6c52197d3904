import { describe, expect, it } from 'vitest';
import { modules as registered } from '../modules/index.ts';
import {
  checkManifests,
  type Dimension,
  type Kpi,
  kpiDimension,
  kpisByDimension,
  type ModuleManifest,
} from './modules.ts';

const kpi = (id: string, dimension?: string): Kpi => ({
  id,
  names: { th: id, en: id },
  unit: 'count',
  ...(dimension ? { dimension: dimension as Dimension } : {}),
  compute: async () => null,
});
const module = (kpis: Kpi[]): ModuleManifest => ({
  id: 'demo',
  dimension: 'governance',
  names: { th: 'demo', en: 'demo' },
  kpis,
});

describe('KPI dimensions', () => {
  it("counts a KPI under its own dimension when it names one, else under its module's", () => {
    const m = module([kpi('rate'), kpi('revenue', 'economy')]);
    expect(m.kpis!.map((k) => kpiDimension(m, k))).toEqual(['governance', 'economy']);
    const grouped = kpisByDimension([m]);
    expect(grouped.get('governance')!.map((e) => e.kpi.id)).toEqual(['rate']);
    expect(grouped.get('economy')!.map((e) => e.kpi.id)).toEqual(['revenue']);
    expect(grouped.get('mobility')).toEqual([]);
  });

  it('refuses an unknown KPI dimension and a KPI listed twice', () => {
    expect(() => checkManifests([module([kpi('x', 'wealth')])])).toThrow(/unknown dimension/);
    expect(() => checkManifests([module([kpi('x'), kpi('x', 'economy')])])).toThrow(/twice/);
    expect(() => checkManifests([module([kpi('x', 'economy')])])).not.toThrow();
  });

  it('accepts the registered modules, and the tax module feeds the Economy dimension', () => {
    expect(() => checkManifests(registered)).not.toThrow();
    const economy = kpisByDimension(registered).get('economy')!;
    expect(economy.map((e) => `${e.module.id}/${e.kpi.id}`)).toContain('tax/tax-revenue-collected');
  });
});
