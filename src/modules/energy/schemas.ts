import { type Static, Type } from 'typebox';
import { Point } from '../../platform/devices/schemas.ts';

const Uuid = Type.String({ format: 'uuid' });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Day = Type.String({ format: 'date', description: 'A calendar day in Asia/Bangkok, YYYY-MM-DD' });

export const buildingKinds = ['municipal', 'school', 'university', 'health', 'other'] as const;
const BuildingKind = Type.Union(buildingKinds.map((k) => Type.Literal(k)));

export const BuildingBody = Type.Object(
  {
    nameTh: Name,
    nameEn: Name,
    officeId: Type.Optional(Uuid),
    location: Point,
    floorAreaM2: Type.Number({
      exclusiveMinimum: 0,
      maximum: 10_000_000,
      description: 'Gross floor area, m²',
    }),
    kind: BuildingKind,
  },
  { additionalProperties: false },
);
export type BuildingInput = Static<typeof BuildingBody>;
export const BuildingPatch = Type.Partial(BuildingBody, { additionalProperties: false, minProperties: 1 });
export type BuildingPatchInput = Static<typeof BuildingPatch>;

const Kwp = Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000, description: 'Peak power, kWp' });
export const InstallationBody = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('pv'),
      name: Name,
      kwp: Kwp,
      installedOn: Type.Optional(Type.Union([Day, Type.Null()])),
      deviceId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('meter'),
      name: Name,
      installedOn: Type.Optional(Type.Union([Day, Type.Null()])),
      deviceId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    },
    { additionalProperties: false },
  ),
]);
export type InstallationInput = Static<typeof InstallationBody>;
export const InstallationPatch = Type.Object(
  {
    name: Type.Optional(Name),
    kwp: Type.Optional(Kwp),
    installedOn: Type.Optional(Type.Union([Day, Type.Null()])),
    deviceId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type InstallationPatchInput = Static<typeof InstallationPatch>;

export const InstallationSchema = Type.Object({
  id: Uuid,
  buildingId: Uuid,
  kind: Type.Union([Type.Literal('pv'), Type.Literal('meter')]),
  name: Type.String(),
  kwp: Type.Union([Type.Number(), Type.Null()]),
  installedOn: Type.Union([Type.String(), Type.Null()]),
  deviceId: Type.Union([Uuid, Type.Null()]),
  synthetic: Type.Boolean(),
});
export type Installation = Static<typeof InstallationSchema>;

export const BuildingSchema = Type.Object({
  id: Uuid,
  nameTh: Type.String(),
  nameEn: Type.String(),
  officeId: Uuid,
  location: Type.Object({ lon: Type.Number(), lat: Type.Number() }),
  zoneCode: Type.Union([Type.String(), Type.Null()]),
  floorAreaM2: Type.Number(),
  kind: BuildingKind,
  synthetic: Type.Boolean(),
  kwp: Type.Number({ description: 'Installed PV peak power of the building, kWp' }),
  hasMeter: Type.Boolean(),
});
export type Building = Static<typeof BuildingSchema>;

export const IdParam = Type.Object({ id: Uuid });

export const periods = ['day', 'month', 'year'] as const;
export type Period = (typeof periods)[number];

export const FiguresQuery = Type.Object(
  {
    by: Type.Union(
      periods.map((p) => Type.Literal(p)),
      { default: 'day' },
    ),
    from: Type.Optional(Day),
    to: Type.Optional(Day),
    building: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type FiguresQueryInput = Static<typeof FiguresQuery>;

const Kwh = Type.Number({ description: 'kWh' });
const MaybeKwh = Type.Union([Kwh, Type.Null()]);
export const FigureRow = Type.Object({
  period: Type.String({ description: 'YYYY-MM-DD, YYYY-MM or YYYY (Asia/Bangkok)' }),
  generatedKWh: Kwh,
  importedKWh: MaybeKwh,
  exportedKWh: MaybeKwh,
  consumedKWh: MaybeKwh,
  selfConsumption: Type.Union([Type.Number({ description: '0–1' }), Type.Null()]),
  co2AvoidedKg: Type.Number(),
});
export type Figure = Static<typeof FigureRow>;

export const FactorSchema = Type.Object({
  kgCo2PerKWh: Type.Number(),
  year: Type.Integer(),
  source: Type.String(),
});

export const FiguresReply = Type.Object({
  by: Type.String(),
  from: Type.String(),
  to: Type.String(),
  factor: FactorSchema,
  series: Type.Array(FigureRow),
  totals: FigureRow,
});
export type Figures = Static<typeof FiguresReply>;

export const BuildingPageReply = Type.Object({
  building: BuildingSchema,
  installations: Type.Array(InstallationSchema),
  lastYear: FigureRow,
  intensityKWhPerM2Year: Type.Union([Type.Number(), Type.Null()]),
  factor: FactorSchema,
});

export const SummaryReply = Type.Object({
  year: Type.String(),
  buildings: Type.Integer(),
  installedKwp: Type.Number(),
  totals: FigureRow,
  factor: FactorSchema,
});
