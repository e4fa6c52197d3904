/** The register's records as the API answers them, and how the screens show numbers. */
export type Kind =
  | 'parcels'
  | 'buildings'
  | 'signs'
  | 'owners'
  | 'appraisals'
  | 'depreciation'
  | 'building-costs';
export const kinds: Kind[] = [
  'parcels',
  'buildings',
  'signs',
  'owners',
  'appraisals',
  'depreciation',
  'building-costs',
];
export const pageSize = 20;

export interface Page<T> {
  total: number;
  items: T[];
}
export interface ParcelRow {
  id: string;
  deedKind: string;
  deedNo: string;
  ownerName: string;
  areaM2: number;
  valuePerM2: number | null;
  zone: string | null;
  buildings: number;
}
export interface BuildingRow {
  id: string;
  parcelId: string;
  deedKind: string;
  deedNo: string;
  buildingNo: string | null;
  kind: string;
  ownerName: string;
  floorAreaM2: number;
  ageYears: number;
}
export interface SignRow {
  id: string;
  ownerName: string;
  text: string | null;
  widthCm: number;
  heightCm: number;
  type: number;
  moving: boolean;
  status: string;
}
export interface AppraisalRow {
  id: string;
  roundFrom: number;
  roundTo: number;
  deedKind: string | null;
  deedNo: string | null;
  zone: string | null;
  block: string | null;
  valuePerM2: number;
}
export interface DepreciationRow {
  id: string;
  buildingType: string;
  ageFrom: number;
  depreciationPercent: number;
}
export interface BuildingCostRow {
  id: string;
  roundFrom: number;
  roundTo: number;
  code: string | null;
  buildingType: string;
  buildingTypeEn: string | null;
  costPerM2: number;
  note: string | null;
}
export interface Owner {
  id: string;
  kind: 'person' | 'juristic';
  name: string;
  taxId: string;
}
/** An owner opened for a correction, with how much of the register is theirs. */
/** An owner as the owners list gives it: the ID masked (the opened owner has it whole, audited). */
export interface OwnerRow {
  id: string;
  kind: 'person' | 'juristic';
  name: string;
  taxIdMasked: string;
  parcels: number;
  signs: number;
}
export interface OwnerDetail extends Owner {
  version: number;
  address: string | null;
  parcels: number;
  signs: number;
}
export interface BillRef {
  id: string;
  number: string;
  taxYear: number;
  amountSatang: number;
  status: string;
}
export interface ParcelDetail {
  id: string;
  version: number;
  deedKind: string;
  deedNo: string;
  areaM2: number;
  valuePerM2: number | null;
  appraisalZone: string | null;
  appraisalBlock: string | null;
  zone: string | null;
  uses: { use: string; sharePercent: number; mainHome?: string; vacantYears?: number }[];
  location: { lon: number; lat: number } | null;
  /** The outline as stored: a GeoJSON MultiPolygon (polygons → rings → [lon, lat]). */
  boundary: { type: 'MultiPolygon'; coordinates: [number, number][][][] } | null;
  owner: Owner;
  buildings: {
    id: string;
    version: number;
    buildingNo: string | null;
    kind: string;
    floorAreaM2: number;
    costPerM2Baht: number | null;
    ageYears: number;
    depreciationPercent: number | null;
  }[];
  bills: BillRef[];
}
export interface BuildingDetail {
  id: string;
  version: number;
  buildingNo: string | null;
  kind: string;
  floorAreaM2: number;
  costPerM2Baht: number | null;
  ageYears: number;
  depreciationPercent: number | null;
  parcel: { id: string; deedKind: string; deedNo: string };
  owner: Owner;
  bills: BillRef[];
}
export interface SignDetail {
  id: string;
  version: number;
  text: string | null;
  widthCm: number;
  heightCm: number;
  type: number;
  textLanguage: string;
  moving: boolean;
  status: string;
  photos: number;
  location: { lon: number; lat: number } | null;
  /** The municipal zone its point lies in (reports count its bills there). */
  zone: string | null;
  owner: Owner;
  bills: BillRef[];
}

export type Opened = { kind: 'parcels' | 'signs' | 'buildings'; id: string } | null;

export const num = (n: number, lang: string) => n.toLocaleString(lang === 'th' ? 'th-TH' : 'en-GB');
export const baht = (satang: number, lang: string) =>
  (satang / 100).toLocaleString(lang === 'th' ? 'th-TH' : 'en-GB', { minimumFractionDigits: 2 });
