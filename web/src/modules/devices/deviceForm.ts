/** The device form's values as typed, its checks (the API's rules, said before sending) and its body. */
export interface DeviceFormValues {
  devEui: string;
  name: string;
  profileId: string;
  officeId: string;
  lon: string;
  lat: string;
  installedOn: string;
  /** Comma- or space-separated. */
  tags: string;
  /** Seconds; empty: the profile's. */
  expectedIntervalS: string;
}

export type DeviceField = keyof DeviceFormValues;
/** Field → the i18n key of its error. */
export type DeviceErrors = Partial<Record<DeviceField, string>>;

export const emptyDevice: DeviceFormValues = {
  devEui: '',
  name: '',
  profileId: '',
  officeId: '',
  lon: '',
  lat: '',
  installedOn: '',
  tags: '',
  expectedIntervalS: '',
};

export function fromDevice(d: {
  devEui: string;
  name: string;
  profileId: string;
  officeId: string;
  location: { lon: number; lat: number };
  installedOn?: string | null;
  tags: string[];
  expectedIntervalS?: number | null;
}): DeviceFormValues {
  return {
    devEui: d.devEui,
    name: d.name,
    profileId: d.profileId,
    officeId: d.officeId,
    lon: String(d.location.lon),
    lat: String(d.location.lat),
    installedOn: d.installedOn ?? '',
    tags: d.tags.join(', '),
    expectedIntervalS: d.expectedIntervalS == null ? '' : String(d.expectedIntervalS),
  };
}

const tagPattern = /^[\p{L}\p{N}_:.-]{1,50}$/u;
export const splitTags = (s: string) =>
  s
    .split(/[\s,;]+/)
    .map((t) => t.trim())
    .filter(Boolean);

const num = (s: string) => (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s.trim()) ? Number(s) : Number.NaN);

/** Checks what the API would refuse; `office` is required only of those who may choose one. */
export function checkDevice(
  v: DeviceFormValues,
  opts: { editing: boolean; needsOffice: boolean },
): DeviceErrors {
  const e: DeviceErrors = {};
  if (!opts.editing) {
    if (!v.devEui.trim()) e.devEui = 'devices.form.required';
    else if (!/^[0-9A-Fa-f]{16}$/.test(v.devEui.trim())) e.devEui = 'devices.form.devEuiInvalid';
  }
  if (!v.name.trim()) e.name = 'devices.form.required';
  else if (v.name.trim().length > 200) e.name = 'devices.form.tooLong';
  if (!v.profileId) e.profileId = 'devices.form.required';
  if (opts.needsOffice && !v.officeId) e.officeId = 'devices.form.required';
  const lon = num(v.lon);
  const lat = num(v.lat);
  if (!v.lon.trim()) e.lon = 'devices.form.required';
  else if (!(Math.abs(lon) <= 180)) e.lon = 'devices.form.lonInvalid';
  if (!v.lat.trim()) e.lat = 'devices.form.required';
  else if (!(Math.abs(lat) <= 90)) e.lat = 'devices.form.latInvalid';
  if (v.installedOn && !/^\d{4}-\d{2}-\d{2}$/.test(v.installedOn)) e.installedOn = 'devices.form.dateInvalid';
  const tags = splitTags(v.tags);
  if (tags.length > 20 || tags.some((t) => !tagPattern.test(t)) || new Set(tags).size !== tags.length)
    e.tags = 'devices.form.tagsInvalid';
  if (v.expectedIntervalS.trim()) {
    const s = /^\d+$/.test(v.expectedIntervalS.trim()) ? Number(v.expectedIntervalS) : Number.NaN;
    if (!(s >= 10 && s <= 604_800)) e.expectedIntervalS = 'devices.form.intervalInvalid';
  }
  return e;
}

/** The POST (or PATCH: no DevEUI) body; the expected interval goes to its own endpoint. */
export function deviceBody(v: DeviceFormValues, opts: { editing: boolean; sendOffice: boolean }) {
  return {
    ...(opts.editing ? {} : { devEui: v.devEui.trim() }),
    name: v.name.trim(),
    profileId: v.profileId,
    ...(opts.sendOffice && v.officeId ? { officeId: v.officeId } : {}),
    location: { lon: num(v.lon), lat: num(v.lat) },
    ...(v.installedOn ? { installedOn: v.installedOn } : {}),
    tags: splitTags(v.tags),
  };
}

export const intervalBody = (v: DeviceFormValues) => ({
  expectedIntervalS: v.expectedIntervalS.trim() ? Number(v.expectedIntervalS) : null,
});

/** The API's field errors (JSON pointers such as `/location`, `/devEui`) mapped onto the form's fields. */
export function serverField(path: string): DeviceField | null {
  const head = path.split('/')[1] ?? '';
  if (head === 'location') return 'lon';
  return Object.hasOwn(emptyDevice, head) ? (head as DeviceField) : null;
}
