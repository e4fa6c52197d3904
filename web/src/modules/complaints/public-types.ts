import type { Status } from './types.ts';

/** One complaint as the public sees it: no reporter, contact, address, internal note or photo. */
export interface PublicItem {
  reference: string;
  category: string;
  status: Status;
  zone: string;
  lat: number;
  lon: number;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
  /** Moderated text; null until staff approved it. */
  text: string | null;
}

export interface Count {
  key: string;
  count: number;
}

export interface Stats {
  from: string;
  to: string;
  total: number;
  resolved: number;
  byCategory: Count[];
  byOffice: Count[];
  byZone: Count[];
  byMonth: { month: string; count: number; resolved: number }[];
  medianHoursToResolve: number | null;
  withinSla: { share: number | null; onTime: number; measured: number };
  satisfaction: { average: number | null; ratings: number };
}

export type Zones = GeoJSON.FeatureCollection<
  GeoJSON.MultiPolygon,
  { code: string; nameTh: string; nameEn: string }
>;
