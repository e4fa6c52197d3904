import { type Static, Type } from 'typebox';

export const laneKinds = ['protected', 'painted', 'shared', 'path'] as const;
export type LaneKind = (typeof laneKinds)[number];

/** GeoJSON positions: [lon, lat] or [lon, lat, altitude] (the altitude is dropped). */
const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 3 });
const Line = Type.Array(Position, { minItems: 2, maxItems: 20_000 });
const Geometry = Type.Union([
  Type.Object({ type: Type.Literal('LineString'), coordinates: Line }),
  Type.Object({
    type: Type.Literal('MultiLineString'),
    coordinates: Type.Array(Line, { minItems: 1, maxItems: 1000 }),
  }),
]);

/**
 * A GeoJSON FeatureCollection of lanes (RFC 7946, WGS 84), as QGIS or uMap export it: members other
 * than these (bbox, a collection name) are ignored, and each feature's properties may hold more than
 * the names and kind read here.
 */
export const LaneImport = Type.Object({
  type: Type.Literal('FeatureCollection'),
  crs: Type.Optional(Type.Unknown()),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      geometry: Geometry,
      properties: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    }),
    { minItems: 1, maxItems: 5000 },
  ),
});
export type LaneImport = Static<typeof LaneImport>;

export const ImportQuery = Type.Object(
  {
    mode: Type.Union([Type.Literal('append'), Type.Literal('replace')], {
      default: 'append',
      description: 'replace: the file becomes the whole lane network; append: its lanes are added',
    }),
    source: Type.Optional(
      Type.String({ minLength: 1, maxLength: 300, description: 'Where the file came from' }),
    ),
  },
  { additionalProperties: false },
);
export type ImportQuery = Static<typeof ImportQuery>;

export const ImportReply = Type.Object({ imported: Type.Integer(), replaced: Type.Integer() });

export const LaneProperties = Type.Object({
  id: Type.String(),
  nameTh: Type.String(),
  nameEn: Type.String(),
  kind: Type.String(),
  lengthM: Type.Number(),
  source: Type.Union([Type.String(), Type.Null()]),
  synthetic: Type.Boolean(),
});
export type LaneProperties = Static<typeof LaneProperties>;

export const LanesReply = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      id: Type.String(),
      geometry: Type.Unknown(),
      properties: LaneProperties,
    }),
  ),
});

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const DaysQuery = Type.Object(
  { days: Type.Integer({ minimum: 1, maximum: 90, default: 30 }) },
  { additionalProperties: false },
);

export const CountersReply = Type.Object({
  from: Type.String({ description: 'First Bangkok day, YYYY-MM-DD' }),
  to: Type.String({ description: 'Last Bangkok day (today), YYYY-MM-DD' }),
  counters: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      lon: Type.Number(),
      lat: Type.Number(),
      synthetic: Type.Boolean(),
      lastSeenAt: Type.Union([Type.String(), Type.Null()]),
      days: Type.Array(Type.Object({ day: Type.String(), count: Type.Number() })),
    }),
  ),
});

export const SummaryReply = Type.Object({
  lanes: Type.Object({
    count: Type.Integer(),
    km: Type.Number(),
    byKind: Type.Array(Type.Object({ kind: Type.String(), count: Type.Integer(), km: Type.Number() })),
  }),
  counters: Type.Object({
    count: Type.Integer(),
    last7Days: Type.Number({ description: 'Bicycles counted over the last 7 full Bangkok days' }),
    dailyAverage: Type.Union([Type.Number(), Type.Null()], {
      description: 'Per counter and day over the last 7 full days; null without counters',
    }),
  }),
});
