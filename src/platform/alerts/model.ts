import { type Static, Type } from 'typebox';

const literals = <T extends string>(values: readonly T[]) =>
  Type.Unsafe<T>(Type.Union(values.map((v) => Type.Literal(v))));

export const alertStatuses = ['raised', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof alertStatuses)[number];
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

/** Plain printable text: no control characters (they cannot travel in XML) and no markup is implied. */
const text = (maxLength: number, minLength = 0) =>
  Type.String({ minLength, maxLength, pattern: '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$' });
const Bilingual = (maxLength: number, minLength = 0) =>
  Type.Object(
    { th: text(maxLength, minLength), en: text(maxLength, minLength) },
    { additionalProperties: false },
  );

const Position = Type.Tuple([
  Type.Number({ minimum: -180, maximum: 180 }),
  Type.Number({ minimum: -90, maximum: 90 }),
]);
/** A GeoJSON Polygon with one ring (CAP polygons have no holes), [lon, lat], closed, 4–1000 points. */
export const PolygonSchema = Type.Object(
  {
    type: Type.Literal('Polygon'),
    coordinates: Type.Array(Type.Array(Position, { minItems: 4, maxItems: 1000 }), {
      minItems: 1,
      maxItems: 1,
    }),
  },
  { additionalProperties: false },
);
export type Polygon = Static<typeof PolygonSchema>;

export const NewWarningBody = Type.Object(
  {
    category: literals(categories),
    urgency: literals(urgencies),
    severity: literals(severities),
    certainty: literals(certainties),
    event: Bilingual(200, 1),
    headline: Bilingual(200, 1),
    description: Type.Optional(Bilingual(4000)),
    instruction: Type.Optional(Bilingual(2000)),
    area: Type.Object(
      {
        description: Type.Optional(Bilingual(500)),
        polygon: Type.Optional(PolygonSchema),
        zoneCode: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' })),
      },
      { additionalProperties: false },
    ),
    expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type NewWarning = Static<typeof NewWarningBody>;

export const UpdateWarningBody = Type.Object(
  {
    urgency: Type.Optional(literals(urgencies)),
    severity: Type.Optional(literals(severities)),
    certainty: Type.Optional(literals(certainties)),
    headline: Type.Optional(Bilingual(200, 1)),
    description: Type.Optional(Bilingual(4000)),
    instruction: Type.Optional(Bilingual(2000)),
    expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateWarning = Static<typeof UpdateWarningBody>;

export const ResolveBody = Type.Object({ note: Type.Optional(text(2000)) }, { additionalProperties: false });

const Text = Type.Object({ th: Type.String(), en: Type.String() });
const Nullable = <T extends import('typebox').TSchema>(s: T) => Type.Union([s, Type.Null()]);

export const AlertSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  source: literals(['rule', 'manual'] as const),
  ruleId: Nullable(Type.String()),
  subject: Type.String(),
  officeId: Nullable(Type.String()),
  public: Type.Boolean(),
  category: literals(categories),
  urgency: literals(urgencies),
  severity: literals(severities),
  certainty: literals(certainties),
  event: Text,
  headline: Text,
  description: Text,
  instruction: Text,
  areaDesc: Text,
  area: Nullable(Type.Unknown()),
  zoneCode: Nullable(Type.String()),
  status: literals(alertStatuses),
  raisedAt: Type.String({ format: 'date-time' }),
  raisedBy: Nullable(Type.String()),
  acknowledgedAt: Nullable(Type.String({ format: 'date-time' })),
  acknowledgedBy: Nullable(Type.String()),
  resolvedAt: Nullable(Type.String({ format: 'date-time' })),
  resolvedBy: Nullable(Type.String()),
  resolutionNote: Type.String(),
  /** When nobody had acknowledged it in time and the office's managers were called in. */
  escalatedAt: Nullable(Type.String({ format: 'date-time' })),
  expiresAt: Nullable(Type.String({ format: 'date-time' })),
  capVersion: Type.Integer(),
  capSent: Type.String({ format: 'date-time' }),
  capRefs: Type.Array(Type.String()),
});
export type Alert = Static<typeof AlertSchema>;

export const ListQuery = Type.Object(
  {
    status: Type.Optional(literals(alertStatuses)),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 100000, default: 0 }),
  },
  { additionalProperties: false },
);

/** What the repository inserts. */
export interface NewAlertRow {
  source: 'rule' | 'manual';
  ruleId: string | null;
  subject: string;
  officeId: string | null;
  public: boolean;
  category: Alert['category'];
  urgency: Alert['urgency'];
  severity: Alert['severity'];
  certainty: Alert['certainty'];
  event: { th: string; en: string };
  headline: { th: string; en: string };
  description: { th: string; en: string };
  instruction: { th: string; en: string };
  areaDesc: { th: string; en: string };
  area: Polygon | null;
  zoneId: string | null;
  raisedBy: string | null;
  expiresAt: string | null;
}
