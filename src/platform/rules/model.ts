import { type Static, type TSchema, Type } from 'typebox';
import { categories, certainties, severities, urgencies } from '../alerts/model.ts';

const literals = <T extends string>(values: readonly T[]) =>
  Type.Unsafe<T>(Type.Union(values.map((v) => Type.Literal(v))));

/** Sensor values are bounded far beyond any real quantity, so a typo of 1e308 is refused. */
const Value = Type.Number({ minimum: -1e9, maximum: 1e9 });
const week = 7 * 24 * 60;

export const ThresholdSchema = Type.Object(
  {
    kind: Type.Literal('threshold'),
    op: literals(['above', 'below'] as const),
    value: Value,
    /** The condition must hold this long (observed time) before the rule fires; 0 fires at once. */
    forMinutes: Type.Integer({ minimum: 0, maximum: week }),
    /** Hysteresis: once firing, it clears only below (for 'above') or above (for 'below') this level. */
    clearAt: Value,
  },
  { additionalProperties: false },
);
export type ThresholdParams = Static<typeof ThresholdSchema>;

export const RateSchema = Type.Object(
  {
    kind: Type.Literal('rate'),
    op: literals(['rise', 'fall'] as const),
    /** Change per minute (absolute, in the quantity's unit) that fires the rule. */
    perMinute: Type.Number({ exclusiveMinimum: 0, maximum: 1e9 }),
    windowMinutes: Type.Integer({ minimum: 1, maximum: 24 * 60 }),
  },
  { additionalProperties: false },
);
export type RateParams = Static<typeof RateSchema>;

export const NoDataSchema = Type.Object(
  { kind: Type.Literal('noData'), minutes: Type.Integer({ minimum: 1, maximum: week }) },
  { additionalProperties: false },
);

export const ConditionSchema = Type.Union([ThresholdSchema, RateSchema]);
export type Condition = Static<typeof ConditionSchema>;

export const CombinationSchema = Type.Object(
  {
    kind: Type.Literal('combination'),
    mode: literals(['all', 'any'] as const),
    conditions: Type.Array(ConditionSchema, { minItems: 2, maxItems: 10 }),
  },
  { additionalProperties: false },
);

export const ParamsSchema = Type.Union([ThresholdSchema, RateSchema, NoDataSchema, CombinationSchema]);
export type RuleParams = Static<typeof ParamsSchema>;

const uuid = Type.String({ format: 'uuid' });
export const ScopeSchema = Type.Union([
  Type.Object({ kind: Type.Literal('device'), deviceId: uuid }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('profile'), profileId: uuid }, { additionalProperties: false }),
  Type.Object(
    { kind: Type.Literal('zone'), zoneCode: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }) },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('city') }, { additionalProperties: false }),
]);
export type Scope = Static<typeof ScopeSchema>;

const text = (max: number, min = 1) =>
  Type.String({
    minLength: min,
    maxLength: max,
    pattern: '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$',
  });

const ruleFields = {
  name: Type.Object({ th: text(200), en: text(200) }, { additionalProperties: false }),
  enabled: Type.Optional(Type.Boolean()),
  scope: ScopeSchema,
  /** The quantity as readings name it (pm25, waterLevel…). */
  quantity: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' }),
  params: ParamsSchema,
  category: literals(categories),
  urgency: literals(urgencies),
  severity: literals(severities),
  certainty: literals(certainties),
  /** Its alerts are public CAP warnings (feed, /warnings), over the device's zone or around it. */
  public: Type.Optional(Type.Boolean()),
  /** What residents should do, for public alerts (CAP `instruction`). */
  instruction: Type.Optional(
    Type.Object({ th: text(2000, 0), en: text(2000, 0) }, { additionalProperties: false }),
  ),
};

export const RuleBody = Type.Object(
  {
    ...ruleFields,
    /** Admins may set the owning office; office-bound staff always own it through their own office. */
    officeId: Type.Optional(Type.Union([uuid, Type.Null()])),
  },
  { additionalProperties: false },
);
export type RuleInput = Static<typeof RuleBody>;

export const BacktestBody = Type.Object(
  {
    rule: Type.Object(ruleFields, { additionalProperties: false }),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type BacktestInput = Static<typeof BacktestBody>;

const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);

export const RuleSchema = Type.Object({
  id: uuid,
  name: Type.Object({ th: Type.String(), en: Type.String() }),
  officeId: Nullable(Type.String()),
  enabled: Type.Boolean(),
  scope: Type.Unknown(),
  quantity: Type.String(),
  params: Type.Unknown(),
  category: Type.String(),
  urgency: Type.String(),
  severity: Type.String(),
  certainty: Type.String(),
  public: Type.Boolean(),
  instruction: Type.Object({ th: Type.String(), en: Type.String() }),
  /** Set when a module keeps this rule (e.g. `flood:<station>:warning`); its changes overwrite staff edits. */
  managedBy: Nullable(Type.String()),
  synthetic: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export interface Rule {
  id: string;
  name: { th: string; en: string };
  officeId: string | null;
  enabled: boolean;
  scope: Scope;
  quantity: string;
  params: RuleParams;
  category: (typeof categories)[number];
  urgency: (typeof urgencies)[number];
  severity: (typeof severities)[number];
  certainty: (typeof certainties)[number];
  public: boolean;
  instruction: { th: string; en: string };
  managedBy: string | null;
  synthetic: boolean;
  createdAt: string;
  updatedAt: string;
}

export const BacktestEventSchema = Type.Object({
  subject: Type.String(),
  event: literals(['fire', 'clear'] as const),
  at: Type.String(),
  value: Nullable(Type.Number()),
});

export const BacktestResult = Type.Object({
  from: Type.String(),
  to: Type.String(),
  readings: Type.Integer(),
  truncated: Type.Boolean(),
  events: Type.Array(BacktestEventSchema),
});
