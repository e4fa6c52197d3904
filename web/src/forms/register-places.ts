import { readDegrees } from './complaint.ts';

/**
 * The staff register forms of the energy and flood modules: values as typed, the API's rules said
 * before sending (src/modules/energy/schemas.ts, src/modules/flood/schemas.ts), and the bodies sent.
 * Errors are i18n keys under `register.errors`, by field.
 */
export type Errors<F extends string> = Partial<Record<F, string>>;
export type Checked<B, F extends string> = { body: B } | { errors: Errors<F> };

const maxName = 200;
/** A plain decimal, as typed (comma or point); NaN otherwise. */
export const readNumber = (s: string) => {
  const v = s.trim().replace(',', '.');
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(v) ? Number(v) : Number.NaN;
};

function name(errors: Record<string, string>, field: string, value: string) {
  if (!value.trim()) errors[field] = 'register.errors.required';
  else if (value.trim().length > maxName) errors[field] = 'register.errors.tooLong';
}

function point(errors: Record<string, string>, lat: string, lon: string) {
  const y = readDegrees(lat);
  const x = readDegrees(lon);
  if (!lat.trim()) errors.lat = 'register.errors.required';
  else if (y === null || Math.abs(y) > 90) errors.lat = 'register.errors.lat';
  if (!lon.trim()) errors.lon = 'register.errors.required';
  else if (x === null || Math.abs(x) > 180) errors.lon = 'register.errors.lon';
  return { lat: y ?? 0, lon: x ?? 0 };
}

const done = <B, F extends string>(errors: Record<string, string>, body: B): Checked<B, F> =>
  Object.keys(errors).length ? { errors: errors as Errors<F> } : { body };

// ——— energy: buildings and their installations ———

export interface BuildingValues {
  nameTh: string;
  nameEn: string;
  kind: string;
  floorAreaM2: string;
  lat: string;
  lon: string;
  officeId: string;
}
export type BuildingField = keyof BuildingValues;
export interface BuildingBody {
  nameTh: string;
  nameEn: string;
  kind: string;
  floorAreaM2: number;
  location: { lon: number; lat: number };
  officeId?: string;
}

/** `needsOffice`: the person may choose the owner office (not office-bound), so must name one. */
export function checkBuilding(
  v: BuildingValues,
  opts: { needsOffice: boolean },
): Checked<BuildingBody, BuildingField> {
  const e: Record<string, string> = {};
  name(e, 'nameTh', v.nameTh);
  name(e, 'nameEn', v.nameEn);
  if (!v.kind) e.kind = 'register.errors.required';
  const area = readNumber(v.floorAreaM2);
  if (!v.floorAreaM2.trim()) e.floorAreaM2 = 'register.errors.required';
  else if (!(area > 0 && area <= 10_000_000)) e.floorAreaM2 = 'register.errors.positive';
  const location = point(e, v.lat, v.lon);
  if (opts.needsOffice && !v.officeId) e.officeId = 'register.errors.required';
  return done(e, {
    nameTh: v.nameTh.trim(),
    nameEn: v.nameEn.trim(),
    kind: v.kind,
    floorAreaM2: area,
    location,
    ...(opts.needsOffice ? { officeId: v.officeId } : {}),
  });
}

export interface InstallationValues {
  kind: 'pv' | 'meter';
  name: string;
  kwp: string;
  installedOn: string;
  deviceId: string;
}
export type InstallationField = keyof InstallationValues;
export type InstallationBody = {
  kind?: 'pv' | 'meter';
  name: string;
  kwp?: number;
  installedOn: string | null;
  deviceId: string | null;
};

/** A new installation names its kind; a change may not (the API's patch has no kind). */
export function checkInstallation(
  v: InstallationValues,
  opts: { editing: boolean },
): Checked<InstallationBody, InstallationField> {
  const e: Record<string, string> = {};
  name(e, 'name', v.name);
  const kwp = readNumber(v.kwp);
  if (v.kind === 'pv') {
    if (!v.kwp.trim()) e.kwp = 'register.errors.required';
    else if (!(kwp > 0 && kwp <= 1_000_000)) e.kwp = 'register.errors.positive';
  }
  if (v.installedOn && !/^\d{4}-\d{2}-\d{2}$/.test(v.installedOn)) e.installedOn = 'register.errors.date';
  return done(e, {
    ...(opts.editing ? {} : { kind: v.kind }),
    name: v.name.trim(),
    ...(v.kind === 'pv' ? { kwp } : {}),
    installedOn: v.installedOn || null,
    deviceId: v.deviceId || null,
  });
}

// ——— flood: stations and shelters ———

export interface StationValues {
  deviceId: string;
  nameTh: string;
  nameEn: string;
  datum: string;
  watch: string;
  warning: string;
  critical: string;
  bankFull: string;
}
export type StationField = keyof StationValues;
export interface StationBody {
  deviceId?: string;
  nameTh: string;
  nameEn: string;
  datum?: string;
  watch: number;
  warning: number;
  critical: number;
  bankFull: number | null;
}

const level = (e: Record<string, string>, field: string, s: string, required: boolean) => {
  const n = readNumber(s);
  if (!s.trim()) {
    if (required) e[field] = 'register.errors.required';
    return null;
  }
  if (!(n >= -1000 && n <= 10_000)) e[field] = 'register.errors.level';
  return n;
};

/** Levels must rise, watch < warning < critical, as the API insists (`flood.thresholds_order`). */
export function checkStation(
  v: StationValues,
  opts: { editing: boolean },
): Checked<StationBody, StationField> {
  const e: Record<string, string> = {};
  if (!opts.editing && !v.deviceId) e.deviceId = 'register.errors.required';
  name(e, 'nameTh', v.nameTh);
  name(e, 'nameEn', v.nameEn);
  if (v.datum.trim().length > maxName) e.datum = 'register.errors.tooLong';
  const watch = level(e, 'watch', v.watch, true);
  const warning = level(e, 'warning', v.warning, true);
  const critical = level(e, 'critical', v.critical, true);
  const bankFull = level(e, 'bankFull', v.bankFull, false);
  if (!e.warning && watch !== null && warning !== null && !(watch < warning))
    e.warning = 'register.errors.order';
  if (!e.critical && warning !== null && critical !== null && !(warning < critical))
    e.critical = 'register.errors.order';
  return done(e, {
    ...(opts.editing ? {} : { deviceId: v.deviceId }),
    nameTh: v.nameTh.trim(),
    nameEn: v.nameEn.trim(),
    ...(v.datum.trim() ? { datum: v.datum.trim() } : {}),
    watch: watch ?? 0,
    warning: warning ?? 0,
    critical: critical ?? 0,
    bankFull,
  });
}

export interface ShelterValues {
  kind: 'shelter' | 'evacuation_point';
  nameTh: string;
  nameEn: string;
  lat: string;
  lon: string;
  capacity: string;
  facilities: string[];
  contact: string;
  officeId: string;
}
export type ShelterField = keyof ShelterValues;
export interface ShelterBody {
  kind: 'shelter' | 'evacuation_point';
  nameTh: string;
  nameEn: string;
  location: { lon: number; lat: number };
  capacity: number;
  facilities: string[];
  contact: string | null;
  officeId?: string;
}

/** The owner office is chosen only when adding (the API's patch has none), and only by those who may. */
export function checkShelter(
  v: ShelterValues,
  opts: { editing: boolean; needsOffice: boolean },
): Checked<ShelterBody, ShelterField> {
  const e: Record<string, string> = {};
  name(e, 'nameTh', v.nameTh);
  name(e, 'nameEn', v.nameEn);
  const location = point(e, v.lat, v.lon);
  const capacity = readNumber(v.capacity);
  if (!v.capacity.trim()) e.capacity = 'register.errors.required';
  else if (!(Number.isInteger(capacity) && capacity >= 0 && capacity <= 100_000))
    e.capacity = 'register.errors.whole';
  if (v.contact.trim().length > maxName) e.contact = 'register.errors.tooLong';
  const chooseOffice = opts.needsOffice && !opts.editing;
  if (chooseOffice && !v.officeId) e.officeId = 'register.errors.required';
  return done(e, {
    kind: v.kind,
    nameTh: v.nameTh.trim(),
    nameEn: v.nameEn.trim(),
    location,
    capacity,
    facilities: v.facilities,
    contact: v.contact.trim() || null,
    ...(chooseOffice ? { officeId: v.officeId } : {}),
  });
}
