/** The staff rule form: what is typed, the body the API takes, and the checks made before sending. */

export const categories = [
  'geo',
  'met',
  'safety',
  'security',
  'rescue',
  'fire',
  'health',
  'env',
  'transport',
  'infra',
  'cbrne',
  'other',
] as const;
export const urgencies = ['immediate', 'expected', 'future', 'past', 'unknown'] as const;
export const severities = ['extreme', 'severe', 'moderate', 'minor', 'unknown'] as const;
export const certainties = ['observed', 'likely', 'possible', 'unlikely', 'unknown'] as const;
export const scopeKinds = ['device', 'profile', 'zone', 'city'] as const;
/** Combinations are kept through the API; the form edits the three single kinds. */
export const formKinds = ['threshold', 'rate', 'noData'] as const;

type Bilingual = { th: string; en: string };
export type Scope =
  | { kind: 'device'; deviceId: string }
  | { kind: 'profile'; profileId: string }
  | { kind: 'zone'; zoneCode: string }
  | { kind: 'city' };
export type Params =
  | { kind: 'threshold'; op: 'above' | 'below'; value: number; forMinutes: number; clearAt: number }
  | { kind: 'rate'; op: 'rise' | 'fall'; perMinute: number; windowMinutes: number }
  | { kind: 'noData'; minutes: number }
  | { kind: 'combination'; mode: 'all' | 'any'; conditions: unknown[] };

/** A rule as the API returns it. */
export interface Rule {
  id: string;
  name: Bilingual;
  officeId: string | null;
  enabled: boolean;
  scope: Scope;
  quantity: string;
  params: Params;
  category: string;
  urgency: string;
  severity: string;
  certainty: string;
  public: boolean;
  instruction: Bilingual;
  managedBy: string | null;
  synthetic: boolean;
}

/** Every field as text, as the inputs hold it. */
export interface RuleForm {
  nameTh: string;
  nameEn: string;
  enabled: boolean;
  scopeKind: (typeof scopeKinds)[number];
  scopeRef: string;
  quantity: string;
  kind: (typeof formKinds)[number];
  op: string;
  value: string;
  forMinutes: string;
  clearAt: string;
  perMinute: string;
  windowMinutes: string;
  minutes: string;
  category: string;
  urgency: string;
  severity: string;
  certainty: string;
  public: boolean;
  instructionTh: string;
  instructionEn: string;
}

export const emptyForm: RuleForm = {
  nameTh: '',
  nameEn: '',
  enabled: true,
  scopeKind: 'device',
  scopeRef: '',
  quantity: 'waterLevel',
  kind: 'threshold',
  op: 'above',
  value: '',
  forMinutes: '0',
  clearAt: '',
  perMinute: '',
  windowMinutes: '30',
  minutes: '60',
  category: 'env',
  urgency: 'expected',
  severity: 'moderate',
  certainty: 'observed',
  public: false,
  instructionTh: '',
  instructionEn: '',
};

/** A stored rule in the form; null for a combination, which the form cannot show faithfully. */
export function toForm(r: Rule): RuleForm | null {
  const p = r.params;
  if (p.kind === 'combination') return null;
  const ref =
    r.scope.kind === 'device'
      ? r.scope.deviceId
      : r.scope.kind === 'profile'
        ? r.scope.profileId
        : r.scope.kind === 'zone'
          ? r.scope.zoneCode
          : '';
  return {
    ...emptyForm,
    nameTh: r.name.th,
    nameEn: r.name.en,
    enabled: r.enabled,
    scopeKind: r.scope.kind,
    scopeRef: ref,
    quantity: r.quantity,
    kind: p.kind,
    ...(p.kind === 'threshold' && {
      op: p.op,
      value: String(p.value),
      forMinutes: String(p.forMinutes),
      clearAt: String(p.clearAt),
    }),
    ...(p.kind === 'rate' && {
      op: p.op,
      perMinute: String(p.perMinute),
      windowMinutes: String(p.windowMinutes),
    }),
    ...(p.kind === 'noData' && { minutes: String(p.minutes) }),
    category: r.category,
    urgency: r.urgency,
    severity: r.severity,
    certainty: r.certainty,
    public: r.public,
    instructionTh: r.instruction.th,
    instructionEn: r.instruction.en,
  };
}

/** Field path (as in a problem's `errors[]`) → i18n key of the message. */
export type RuleErrors = Partial<Record<string, string>>;

const num = (v: string): number | null => {
  const s = v.trim().replace(',', '.');
  return /^-?[0-9]+(\.[0-9]+)?$/.test(s) ? Number(s) : null;
};
const int = (v: string): number | null => (/^[0-9]{1,6}$/.test(v.trim()) ? Number(v.trim()) : null);
const week = 7 * 24 * 60;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const control = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Checks the form as the server would; returns the body to send, or the errors by field path. */
export function checkRule(f: RuleForm): { body: Record<string, unknown> } | { errors: RuleErrors } {
  const errors: RuleErrors = {};
  for (const [path, v] of [
    ['/name/th', f.nameTh],
    ['/name/en', f.nameEn],
  ] as const) {
    if (!v.trim()) errors[path] = 'rules.form.required';
    else if (v.length > 200) errors[path] = 'rules.form.tooLong';
    else if (control.test(v)) errors[path] = 'rules.form.badText';
  }
  const ref = f.scopeRef.trim();
  if (f.scopeKind === 'device' || f.scopeKind === 'profile') {
    if (!uuid.test(ref)) errors['/scope'] = 'rules.form.chooseScope';
  } else if (f.scopeKind === 'zone' && !/^[a-z0-9][a-z0-9-]{0,63}$/.test(ref))
    errors['/scope'] = 'rules.form.badZone';
  if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(f.quantity.trim())) errors['/quantity'] = 'rules.form.badQuantity';
  let params: Params | null = null;
  if (f.kind === 'threshold') {
    const value = num(f.value);
    const clearAt = num(f.clearAt);
    const forMinutes = int(f.forMinutes);
    if (value === null || Math.abs(value) > 1e9) errors['/params/value'] = 'rules.form.badNumber';
    if (clearAt === null || Math.abs(clearAt) > 1e9) errors['/params/clearAt'] = 'rules.form.badNumber';
    else if (value !== null && (f.op === 'above' ? clearAt > value : clearAt < value))
      errors['/params/clearAt'] = f.op === 'above' ? 'rules.form.clearBelow' : 'rules.form.clearAbove';
    if (forMinutes === null || forMinutes > week) errors['/params/forMinutes'] = 'rules.form.badMinutes';
    if (value !== null && clearAt !== null && forMinutes !== null)
      params = { kind: 'threshold', op: f.op === 'below' ? 'below' : 'above', value, clearAt, forMinutes };
  } else if (f.kind === 'rate') {
    const perMinute = num(f.perMinute);
    const windowMinutes = int(f.windowMinutes);
    if (perMinute === null || perMinute <= 0 || perMinute > 1e9)
      errors['/params/perMinute'] = 'rules.form.positive';
    if (windowMinutes === null || windowMinutes < 1 || windowMinutes > 1440)
      errors['/params/windowMinutes'] = 'rules.form.badWindow';
    if (perMinute !== null && windowMinutes !== null)
      params = { kind: 'rate', op: f.op === 'fall' ? 'fall' : 'rise', perMinute, windowMinutes };
  } else {
    const minutes = int(f.minutes);
    if (minutes === null || minutes < 1 || minutes > week)
      errors['/params/minutes'] = 'rules.form.badMinutes';
    else params = { kind: 'noData', minutes };
  }
  for (const [path, v] of [
    ['/instruction/th', f.instructionTh],
    ['/instruction/en', f.instructionEn],
  ] as const) {
    if (v.length > 2000) errors[path] = 'rules.form.tooLong';
    else if (control.test(v)) errors[path] = 'rules.form.badText';
  }
  if (Object.keys(errors).length || !params) return { errors };
  const scope: Scope =
    f.scopeKind === 'device'
      ? { kind: 'device', deviceId: ref }
      : f.scopeKind === 'profile'
        ? { kind: 'profile', profileId: ref }
        : f.scopeKind === 'zone'
          ? { kind: 'zone', zoneCode: ref }
          : { kind: 'city' };
  return {
    body: {
      name: { th: f.nameTh.trim(), en: f.nameEn.trim() },
      enabled: f.enabled,
      scope,
      quantity: f.quantity.trim(),
      params,
      category: f.category,
      urgency: f.urgency,
      severity: f.severity,
      certainty: f.certainty,
      public: f.public,
      instruction: { th: f.instructionTh.trim(), en: f.instructionEn.trim() },
    },
  };
}
