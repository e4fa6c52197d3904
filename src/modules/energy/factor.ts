import type { Config } from '../../core/config.ts';

export interface GridFactor {
  kgCo2PerKWh: number;
  year: number;
  source: string;
}

/** The default in src/core/config.ts; kept here too so KPIs computed without an app still have one. */
export const defaultGridFactor: GridFactor = {
  kgCo2PerKWh: 0.475,
  year: 2026,
  source:
    'Thailand Greenhouse Gas Management Organization (TGO), electricity emission factor for Scope 2, 0.4750 kgCO2e/kWh, in force from 1 January 2026',
};

let current: GridFactor = defaultGridFactor;

/**
 * KPIs are computed with only a database handle, so the configured factor is kept here when the
 * module's routes are registered (one city per process).
 */
export function setGridFactor(
  config: Pick<Config, 'GRID_EMISSION_FACTOR' | 'GRID_EMISSION_FACTOR_YEAR' | 'GRID_EMISSION_FACTOR_SOURCE'>,
) {
  current = {
    kgCo2PerKWh: config.GRID_EMISSION_FACTOR,
    year: config.GRID_EMISSION_FACTOR_YEAR,
    source: config.GRID_EMISSION_FACTOR_SOURCE,
  };
}

export const gridFactor = () => current;
