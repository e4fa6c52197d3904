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
