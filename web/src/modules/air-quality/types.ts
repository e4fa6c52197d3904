export type Scale = 'th' | 'us';
export interface Text {
  th: string;
  en: string;
}
export interface Index {
  scale: Scale;
  aqi: number;
  band: { key: string; name: Text; colour: string };
  advice: Text;
  dominant: string;
  beyondScale: boolean;
}
export interface Average {
  pollutant: string;
  averaging: string;
  hours: number;
  needed: number;
  value: number | null;
}
export interface Station {
  id: string;
  name: string;
  zoneCode: string | null;
  lon: number;
  lat: number;
  synthetic: boolean;
  lastSeenAt: string | null;
  averages: Average[];
  th: Index | null;
  us: Index | null;
}
export interface StationsNow {
  at: string;
  stations: Station[];
  city: { th: (Index & { stationId: string }) | null; us: (Index & { stationId: string }) | null };
}
export interface Day {
  day: string;
  pm25: number | null;
  pm10: number | null;
  over: boolean;
}
export interface History {
  station: Omit<Station, 'averages' | 'th' | 'us'>;
  hourly: ({ hour: string } & Record<string, number | string>)[];
  daily: Day[];
  standards: { pm25: number; pm10: number };
}
export interface MonthSummary {
  month: string;
  standards: { pm25: number; pm10: number };
  stations: { stationId: string; name: string; synthetic: boolean; daysWithData: number; daysOver: number }[];
  city: { daysWithData: number; daysOver: number; overDays: string[] };
}

export const pollutantUnits: Record<string, string> = {
  pm25: 'µg/m³',
  pm10: 'µg/m³',
  o3: 'ppb',
  co: 'ppm',
  no2: 'ppb',
  so2: 'ppb',
};
