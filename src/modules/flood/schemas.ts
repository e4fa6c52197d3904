import { type Static, Type } from 'typebox';

const Uuid = Type.String({ format: 'uuid' });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()]);
/** Levels in metres above the datum (water) or mm in 24 hours (rain); a river is not 10 km deep. */
const Level = Type.Number({ minimum: -1000, maximum: 10000 });

export const StatusSchema = Type.Union([
  Type.Literal('normal'),
  Type.Literal('watch'),
  Type.Literal('warning'),
  Type.Literal('critical'),
  Type.Literal('unknown'),
]);
const Kind = Type.Union([Type.Literal('water_level'), Type.Literal('rainfall')]);

export const IdParam = Type.Object({ id: Uuid }, { additionalProperties: false });

const ThresholdsShape = {
  watch: Level,
  warning: Level,
  critical: Level,
  bankFull: Type.Optional(Type.Union([Level, Type.Null()])),
};

/** The public view of a station: its levels and what its readings say now; no device internals. */
export const StationSchema = Type.Object({
  id: Uuid,
  kind: Kind,
  nameTh: Type.String(),
  nameEn: Type.String(),
  location: Type.Object({ lon: Type.Number(), lat: Type.Number() }),
  zoneCode: Type.Union([Type.String(), Type.Null()]),
  unit: Type.Union([Type.Literal('m'), Type.Literal('mm')]),
  datum: Type.String(),
  watch: Type.Number(),
  warning: Type.Number(),
  critical: Type.Number(),
  bankFull: Nullable(Type.Number()),
  synthetic: Type.Boolean(),
  level: Nullable(Type.Number()),
  status: StatusSchema,
  trend: Type.Union([Type.Literal('rising'), Type.Literal('falling'), Type.Literal('steady'), Type.Null()]),
  rateCmPerHour1h: Nullable(Type.Number()),
  rateCmPerHour3h: Nullable(Type.Number()),
  rain1h: Nullable(Type.Number()),
  rain24h: Nullable(Type.Number()),
  lastReadingAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  stale: Type.Boolean(),
});
export type Station = Static<typeof StationSchema>;

export const StationDetailSchema = Type.Intersect([
  StationSchema,
  Type.Object({
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
    series: Type.Array(Type.Object({ observedAt: Type.String(), value: Type.Number() })),
  }),
]);

export const SeriesQuery = Type.Object(
  { hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 31, default: 24 })) },
  { additionalProperties: false },
);

export const NewStationBody = Type.Object(
  {
    deviceId: Uuid,
    nameTh: Name,
    nameEn: Name,
    datum: Type.Optional(Name),
    ...ThresholdsShape,
  },
  { additionalProperties: false },
);
export type NewStation = Static<typeof NewStationBody>;

export const StationPatch = Type.Object(
  {
    nameTh: Type.Optional(Name),
    nameEn: Type.Optional(Name),
    datum: Type.Optional(Name),
    watch: Type.Optional(Level),
    warning: Type.Optional(Level),
    critical: Type.Optional(Level),
    bankFull: Type.Optional(Type.Union([Level, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type StationPatchInput = Static<typeof StationPatch>;

export const facilities = [
  'water',
  'toilets',
  'electricity',
  'kitchen',
  'medical',
  'accessible',
  'pets',
  'parking',
  'shower',
] as const;

const ShelterKind = Type.Union([Type.Literal('shelter'), Type.Literal('evacuation_point')]);
const Facilities = Type.Array(Type.Union(facilities.map((f) => Type.Literal(f))), {
  maxItems: facilities.length,
  uniqueItems: true,
});
const Location = Type.Object(
  {
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
  },
  { additionalProperties: false, description: 'WGS 84; must lie inside the municipality' },
);
const Contact = Type.String({ minLength: 1, maxLength: 200, description: 'A public phone or office' });

export const ShelterSchema = Type.Object({
  id: Uuid,
  kind: ShelterKind,
  nameTh: Type.String(),
  nameEn: Type.String(),
  location: Type.Object({ lon: Type.Number(), lat: Type.Number() }),
  zoneCode: Type.Union([Type.String(), Type.Null()]),
  capacity: Type.Integer(),
  facilities: Type.Array(Type.String()),
  contact: Type.Union([Type.String(), Type.Null()]),
  officeId: Uuid,
  synthetic: Type.Boolean(),
});
export type Shelter = Static<typeof ShelterSchema>;

export const ShelterBody = Type.Object(
  {
    kind: ShelterKind,
    nameTh: Name,
    nameEn: Name,
    location: Location,
    capacity: Type.Integer({ minimum: 0, maximum: 100000 }),
    facilities: Type.Optional(Facilities),
    contact: Type.Optional(Type.Union([Contact, Type.Null()])),
    officeId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type ShelterInput = Static<typeof ShelterBody>;

export const ShelterPatch = Type.Object(
  {
    kind: Type.Optional(ShelterKind),
    nameTh: Type.Optional(Name),
    nameEn: Type.Optional(Name),
    location: Type.Optional(Location),
    capacity: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
    facilities: Type.Optional(Facilities),
    contact: Type.Optional(Type.Union([Contact, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ShelterPatchInput = Static<typeof ShelterPatch>;
