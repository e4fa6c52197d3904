import { type Static, Type } from 'typebox';

/**
 * Upper limits refuse absurd input (a unit mix-up, a broken sensor) rather than index it; each is far
 * above anything measured in ambient air (e.g. the worst haze episodes reach a few hundred µg/m³).
 */
const concentration = (unit: string, averaging: string, maximum: number) =>
  Type.Optional(
    Type.Number({ minimum: 0, maximum, description: `${averaging} average in ${unit}; 0–${maximum}` }),
  );

export const AqiQuery = Type.Object(
  {
    scale: Type.Union([Type.Literal('th'), Type.Literal('us')], {
      default: 'th',
      description: 'th: Pollution Control Department (Thailand); us: US EPA with the 2024 PM2.5 breakpoints',
    }),
    pm25: concentration('µg/m³', '24-hour', 2000),
    pm10: concentration('µg/m³', '24-hour', 5000),
    o3: concentration('ppb', '8-hour', 2000),
    co: concentration('ppm', '8-hour', 500),
    no2: concentration('ppb', '1-hour', 5000),
    so2: concentration('ppb', '1-hour', 5000),
  },
  { additionalProperties: false },
);
export type AqiQuery = Static<typeof AqiQuery>;

const Pollutant = Type.Union(['pm25', 'pm10', 'o3', 'co', 'no2', 'so2'].map((p) => Type.Literal(p)));
const Text = Type.Object({ th: Type.String(), en: Type.String() });

export const AqiReply = Type.Object({
  scale: Type.Union([Type.Literal('th'), Type.Literal('us')]),
  aqi: Type.Integer(),
  band: Type.Object({ key: Type.String(), name: Text, colour: Type.String() }),
  advice: Text,
  dominant: Pollutant,
  subIndices: Type.Array(
    Type.Object({
      pollutant: Pollutant,
      concentration: Type.Number(),
      unit: Type.String(),
      averaging: Type.String(),
      index: Type.Integer(),
      extrapolated: Type.Boolean(),
    }),
  ),
  beyondScale: Type.Boolean(),
});

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Index = Nullable(AqiReply);

const StationBase = {
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  zoneCode: Nullable(Type.String()),
  lon: Type.Number(),
  lat: Type.Number(),
  synthetic: Type.Boolean({ description: 'A demo station with synthetic readings' }),
  lastSeenAt: Nullable(Type.String()),
};

export const StationsReply = Type.Object({
  at: Type.String({ description: 'The time the averages are for' }),
  stations: Type.Array(
    Type.Object({
      ...StationBase,
      averages: Type.Array(
        Type.Object({
          pollutant: Pollutant,
          averaging: Type.String(),
          hours: Type.Integer({ description: 'Hours with data in the averaging window' }),
          needed: Type.Integer({ description: 'Hours the window needs before its average counts' }),
          value: Nullable(Type.Number()),
        }),
      ),
      th: Index,
      us: Index,
    }),
  ),
  city: Type.Object({
    th: Nullable(Type.Object({ stationId: Type.String(), ...AqiReply.properties })),
    us: Nullable(Type.Object({ stationId: Type.String(), ...AqiReply.properties })),
  }),
});

export const StationParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const HistoryQuery = Type.Object(
  { days: Type.Integer({ minimum: 1, maximum: 31, default: 7 }) },
  { additionalProperties: false },
);

const Standards = Type.Object({ pm25: Type.Number(), pm10: Type.Number() });
const Day = Type.Object({
  day: Type.String(),
  pm25: Nullable(Type.Number()),
  pm10: Nullable(Type.Number()),
  over: Type.Boolean(),
});
const maybe = Type.Optional(Type.Number());

export const HistoryReply = Type.Object({
  station: Type.Object(StationBase),
  hourly: Type.Array(
    Type.Object({
      hour: Type.String(),
      pm25: maybe,
      pm10: maybe,
      o3: maybe,
      co: maybe,
      no2: maybe,
      so2: maybe,
    }),
  ),
  daily: Type.Array(Day),
  standards: Standards,
});

export const SummaryQuery = Type.Object(
  { month: Type.String({ pattern: '^(19|20)\\d\\d-(0[1-9]|1[0-2])$', description: 'YYYY-MM, Gregorian' }) },
  { additionalProperties: false },
);
export type SummaryQuery = Static<typeof SummaryQuery>;

export const SummaryReply = Type.Object({
  month: Type.String(),
  standards: Standards,
  stations: Type.Array(
    Type.Object({
      stationId: Type.String(),
      name: Type.String(),
      synthetic: Type.Boolean(),
      days: Type.Array(Day),
      daysWithData: Type.Integer(),
      daysOver: Type.Integer(),
    }),
  ),
  city: Type.Object({
    daysWithData: Type.Integer(),
    daysOver: Type.Integer(),
    overDays: Type.Array(Type.String()),
  }),
});
