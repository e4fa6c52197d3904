import { type Static, Type } from 'typebox';
import { Photos } from '../../core/media/schema.ts';
import { BoundarySchema } from './boundary.ts';
import { TextLanguageSchema } from './sign-language.ts';

const Uuid = Type.String({ format: 'uuid' });
const TaxId = Type.String({
  pattern: '^[0-9]{13}$',
  description: '13-digit national ID or juristic tax ID (mod-11 check digit)',
});
const Point = Type.Object(
  {
    lon: Type.Number({ minimum: 102.7, maximum: 102.95 }),
    lat: Type.Number({ minimum: 16.3, maximum: 16.55 }),
  },
  { additionalProperties: false, description: 'WGS 84, inside the Khon Kaen area' },
);

export const SignTypeSchema = Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)]);

export const OwnerKind = Type.Union([Type.Literal('person'), Type.Literal('juristic')]);
export const DeedKind = Type.Union([
  Type.Literal('chanote'),
  Type.Literal('ns3k'),
  Type.Literal('ns3'),
  Type.Literal('other'),
]);
export const UseKind = Type.Union([
  Type.Literal('agriculture'),
  Type.Literal('residential'),
  Type.Literal('other'),
  Type.Literal('vacant'),
]);
export const MainHome = Type.Union([Type.Literal('land-and-building'), Type.Literal('building-only')]);
export const ValuePerM2 = Type.Number({ minimum: 0, maximum: 10_000_000 });

export const OwnerBody = Type.Object(
  {
    kind: OwnerKind,
    taxId: TaxId,
    name: Type.String({ minLength: 1, maxLength: 300 }),
    address: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type OwnerInput = Static<typeof OwnerBody>;

export const UseSchema = Type.Object(
  {
    use: UseKind,
    sharePercent: Type.Number({ exclusiveMinimum: 0, maximum: 100 }),
    mainHome: Type.Optional(MainHome),
    vacantYears: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
);

export const BuildingSchema = Type.Object(
  {
    kind: Type.String({ minLength: 1, maxLength: 100 }),
    floorAreaM2: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }),
    /** Leave out to take it from the imported Treasury building appraisal (by kind, for the year's round). */
    costPerM2Baht: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
    ageYears: Type.Integer({ minimum: 0, maximum: 500 }),
    /** Leave out to take it from the imported depreciation table (by kind and age). */
    depreciationPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
);

export const ParcelBody = Type.Object(
  {
    ownerId: Uuid,
    deedKind: DeedKind,
    deedNo: Type.String({ minLength: 1, maxLength: 50 }),
    /** Area as on the deed: rai, ngan and square wa (1 rai = 4 ngan = 400 wa² = 1,600 m²). */
    area: Type.Object(
      {
        rai: Type.Integer({ minimum: 0 }),
        ngan: Type.Integer({ minimum: 0, maximum: 3 }),
        wa: Type.Number({ minimum: 0, exclusiveMaximum: 100 }),
      },
      { additionalProperties: false },
    ),
    /** Leave out to take it from the imported Treasury appraisal (by deed, or by appraisal zone and block). */
    valuePerM2Baht: Type.Optional(ValuePerM2),
    appraisalZone: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    appraisalBlock: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    uses: Type.Array(UseSchema, { minItems: 1, maxItems: 4 }),
    buildings: Type.Optional(Type.Array(BuildingSchema, { maxItems: 50 })),
    location: Type.Optional(Point),
    /** The parcel's outline; without `location` the point is the outline's point-on-surface. */
    boundary: Type.Optional(BoundarySchema),
  },
  { additionalProperties: false },
);
export type ParcelInput = Static<typeof ParcelBody>;

export const SignBody = Type.Object(
  {
    ownerId: Uuid,
    widthCm: Type.Number({ exclusiveMinimum: 0, maximum: 100_000 }),
    heightCm: Type.Number({ exclusiveMinimum: 0, maximum: 100_000 }),
    /** Give the text language (the type follows from it), the type, or both when they agree. */
    textLanguage: Type.Optional(TextLanguageSchema),
    type: Type.Optional(SignTypeSchema),
    moving: Type.Boolean(),
    text: Type.Optional(Type.String({ maxLength: 1000 })),
    location: Type.Optional(Point),
    /** Found by inspection, never declared for this tax year (B.E.): its bill carries s.25(1)'s surcharge. */
    unfiledYear: Type.Optional(Type.Integer({ minimum: 2560, maximum: 2700 })),
  },
  { additionalProperties: false },
);
export type SignInput = Static<typeof SignBody>;

/** The day a sign was put up, `YYYY-MM-DD` (checked as a real, past Bangkok day in filing-input.ts). */
export const DaySchema = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', maxLength: 10 });

/** What staff found when they accept a ภ.ป.1, where it differs from the declaration (s.25(2)). */
export const AcceptBody = Type.Object(
  {
    widthCm: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100_000 })),
    heightCm: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100_000 })),
    textLanguage: Type.Optional(TextLanguageSchema),
    type: Type.Optional(SignTypeSchema),
    moving: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type AcceptInput = Static<typeof AcceptBody>;

export const Line = Type.Object({ th: Type.String(), en: Type.String(), satang: Type.Integer() });

export const BillSchema = Type.Object({
  id: Uuid,
  number: Type.String(),
  taxYear: Type.Integer(),
  taxKind: Type.String(),
  ownerName: Type.String(),
  amountSatang: Type.Integer(),
  amountBaht: Type.String(),
  status: Type.String(),
  dueDate: Type.String(),
  paidAt: Type.Union([Type.String(), Type.Null()]),
  working: Type.Array(Line),
  asOf: Type.String({ description: 'The day (Bangkok) the amount due is for' }),
  monthsLate: Type.Integer({ description: 'Months (or parts) past the due date on asOf; 0 when not late' }),
  surchargeSatang: Type.Integer({ description: 'Late surcharge due on asOf (paid bills: paid with it)' }),
  penaltySatang: Type.Integer({ description: 'Late penalty due on asOf (paid bills: paid with it)' }),
  amountDueSatang: Type.Integer({ description: 'Tax + surcharge + penalty' }),
  amountDueBaht: Type.String(),
  promptpay: Type.String({
    description: 'EMVCo Thai QR payload (tag 30 bill payment) for the amount due on asOf',
  }),
  reminder: Type.Union([Type.Object({ sentOn: Type.String(), deadline: Type.String() }), Type.Null()], {
    description: 'The reminder (หนังสือแจ้งเตือน) sent for the bill: pay by its deadline for the lower penalty',
  }),
  instalmentsLapsed: Type.Boolean({
    description: 'An instalment fell due unpaid: the rest is due at once with charges (its QR is the bill’s)',
  }),
  instalmentsAllowed: Type.Boolean({
    description:
      'The bill may be planned in instalments now (POST /bills/{id}/instalments): open, none planned, not past its due date, and at least the minimum of its year’s rule for its tax',
  }),
  instalmentCount: Type.Union([Type.Integer(), Type.Null()], {
    description: 'How many instalments a plan would have (the year’s rule), when instalmentsAllowed',
  }),
  instalments: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      number: Type.String(),
      amountBaht: Type.String(),
      surchargeSatang: Type.Integer(),
      penaltySatang: Type.Integer(),
      amountDueSatang: Type.Integer(),
      amountDueBaht: Type.String(),
      dueDate: Type.String(),
      status: Type.String(),
      promptpay: Type.String(),
    }),
  ),
});

export const PaymentBody = Type.Object(
  {
    transactionId: Type.String({ minLength: 1, maxLength: 100 }),
    billNumber: Type.String({ pattern: '^[0-9A-Z]{1,20}$', description: 'ref1 of the Thai QR' }),
    amount: Type.String({ pattern: '^[0-9]{1,12}(\\.[0-9]{1,2})?$', description: 'baht, e.g. "1234.50"' }),
    paidAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type PaymentInput = Static<typeof PaymentBody>;

export const YearParam = Type.Object(
  { year: Type.Integer({ minimum: 2560, maximum: 2700 }) },
  { additionalProperties: false },
);
export const IdParam = Type.Object({ id: Uuid }, { additionalProperties: false });

/** ภ.ป.1: a citizen declares a signboard, with up to five photos (base64 JPEG/PNG/WebP/HEIC; see core/media). */
export const DeclarationBody = Type.Object(
  {
    widthCm: Type.Number({ exclusiveMinimum: 0, maximum: 100_000 }),
    heightCm: Type.Number({ exclusiveMinimum: 0, maximum: 100_000 }),
    /** The citizen says the text's language; the type follows from it (or is given, and must agree). */
    textLanguage: Type.Optional(TextLanguageSchema),
    type: Type.Optional(SignTypeSchema),
    moving: Type.Boolean(),
    text: Type.String({ minLength: 1, maxLength: 1000 }),
    location: Type.Optional(Point),
    photos: Photos(1),
    /** A new sign's day of putting up: it has 15 days from it to be declared when that ends after March. */
    installedOn: Type.Optional(DaySchema),
  },
  { additionalProperties: false },
);
export type DeclarationInput = Static<typeof DeclarationBody>;

const Version = Type.Integer({
  minimum: 1,
  maximum: 2_147_483_647,
  description: 'the version that was read; an edit of an older version answers 409',
});
const Label = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const OrNull = <T extends Parameters<typeof Type.Optional>[0]>(s: T) =>
  Type.Optional(Type.Union([s, Type.Null()]));

/** Staff correct a parcel: only the fields given change; null clears a value taken from a table instead. */
export const ParcelPatch = Type.Object(
  {
    version: Version,
    ownerTaxId: Type.Optional(TaxId),
    area: Type.Optional(
      Type.Object(
        {
          rai: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
          ngan: Type.Integer({ minimum: 0, maximum: 3 }),
          wa: Type.Number({ minimum: 0, exclusiveMaximum: 100 }),
        },
        { additionalProperties: false },
      ),
    ),
    valuePerM2Baht: OrNull(ValuePerM2),
    appraisalZone: OrNull(Label(50)),
    appraisalBlock: OrNull(Label(50)),
    uses: Type.Optional(Type.Array(UseSchema, { minItems: 1, maxItems: 4 })),
    /** The outline; null removes it (the point stays). */
    boundary: OrNull(BoundarySchema),
  },
  { additionalProperties: false, minProperties: 2 },
);
export type ParcelPatchInput = Static<typeof ParcelPatch>;

export const BuildingPatch = Type.Object(
  {
    version: Version,
    buildingNo: OrNull(Label(50)),
    kind: Type.Optional(Label(100)),
    floorAreaM2: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 })),
    costPerM2Baht: OrNull(Type.Number({ minimum: 0, maximum: 1_000_000 })),
    ageYears: Type.Optional(Type.Integer({ minimum: 0, maximum: 500 })),
    depreciationPercent: OrNull(Type.Number({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false, minProperties: 2 },
);
export type BuildingPatchInput = Static<typeof BuildingPatch>;

export const SignPatch = Type.Object(
  {
    version: Version,
    ownerTaxId: Type.Optional(TaxId),
    widthCm: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100_000 })),
    heightCm: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100_000 })),
    type: Type.Optional(SignTypeSchema),
    textLanguage: Type.Optional(TextLanguageSchema),
    moving: Type.Optional(Type.Boolean()),
    text: OrNull(Type.String({ maxLength: 1000 })),
    location: OrNull(Point),
  },
  { additionalProperties: false, minProperties: 2 },
);
export type SignPatchInput = Static<typeof SignPatch>;

/**
 * Staff correct an owner: name, address (null clears it), kind, or a mistyped tax ID (checked with the
 * mod-11 check digit, and not another owner's).
 */
export const OwnerPatch = Type.Object(
  {
    version: Version,
    kind: Type.Optional(OwnerKind),
    taxId: Type.Optional(TaxId),
    name: Type.Optional(Label(300)),
    address: OrNull(Label(1000)),
  },
  { additionalProperties: false, minProperties: 2 },
);
export type OwnerPatchInput = Static<typeof OwnerPatch>;

/** Staff add photos to a sign (a registered or imported one), naming the version they read. */
export const SignPhotosBody = Type.Object(
  { version: Version, photos: Photos(1) },
  { additionalProperties: false },
);
export type SignPhotosInput = Static<typeof SignPhotosBody>;
