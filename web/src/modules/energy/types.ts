export type Period = 'day' | 'month' | 'year';

export interface Figure {
  period: string;
  generatedKWh: number;
  importedKWh: number | null;
  exportedKWh: number | null;
  consumedKWh: number | null;
  selfConsumption: number | null;
  co2AvoidedKg: number;
}

export interface Factor {
  kgCo2PerKWh: number;
  year: number;
  source: string;
}

export interface Figures {
  by: Period;
  from: string;
  to: string;
  factor: Factor;
  series: Figure[];
  totals: Figure;
}

export interface Building {
  id: string;
  nameTh: string;
  nameEn: string;
  officeId: string;
  location: { lon: number; lat: number };
  zoneCode: string | null;
  floorAreaM2: number;
  kind: 'municipal' | 'school' | 'university' | 'health' | 'other';
  synthetic: boolean;
  kwp: number;
  hasMeter: boolean;
}

export interface Installation {
  id: string;
  kind: 'pv' | 'meter';
  name: string;
  kwp: number | null;
  installedOn: string | null;
  deviceId: string | null;
  synthetic: boolean;
}

export interface BuildingPage {
  building: Building;
  installations: Installation[];
  lastYear: Figure;
  intensityKWhPerM2Year: number | null;
  factor: Factor;
}

export interface Summary {
  year: string;
  buildings: number;
  installedKwp: number;
  totals: Figure;
  factor: Factor;
}
