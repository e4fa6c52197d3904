import { type Static, Type } from 'typebox';

const Uuid = Type.String({ format: 'uuid' });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const FieldName = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.-]{0,99}$' });
const Unit = Type.String({
  minLength: 1,
  maxLength: 20,
  description: 'UN/CEFACT common code, e.g. CEL, GQ, MTR',
});

export const DevEui = Type.String({
  pattern: '^[0-9A-Fa-f]{16}$',
  description: 'LoRaWAN DevEUI: 16 hex digits (stored lower-case)',
});

export const Point = Type.Object(
  {
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
  },
  { additionalProperties: false, description: 'WGS 84; must lie inside the municipality' },
);

const LayoutField = Type.Object(
  {
    field: FieldName,
    offset: Type.Integer({ minimum: 0, maximum: 255 }),
    length: Type.Integer({ minimum: 1, maximum: 4 }),
    signed: Type.Boolean(),
    endianness: Type.Union([Type.Literal('big'), Type.Literal('little')]),
    scale: Type.Optional(Type.Number({ minimum: -1e9, maximum: 1e9 })),
    unit: Type.Optional(Unit),
  },
  { additionalProperties: false },
);
const JsonField = Type.Object(
  {
    field: FieldName,
    path: Type.String({ pattern: '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+){0,9}$' }),
    unit: Type.Optional(Unit),
  },
  { additionalProperties: false },
);

export const DecoderSchema = Type.Union([
  Type.Object({ kind: Type.Literal('cayenne-lpp') }, { additionalProperties: false }),
  Type.Object(
    { kind: Type.Literal('json'), fields: Type.Optional(Type.Array(JsonField, { maxItems: 100 })) },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('bytes'), fields: Type.Array(LayoutField, { minItems: 1, maxItems: 100 }) },
    { additionalProperties: false },
  ),
]);

export const QuantitySchema = Type.Object(
  {
    field: FieldName,
    quantity: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,99}$', description: 'e.g. pm25, waterLevel' }),
    unit: Type.Optional(Unit),
  },
  { additionalProperties: false },
);
export type Quantity = Static<typeof QuantitySchema>;

const Retention = Type.Union([Type.Integer({ minimum: 1, maximum: 36500 }), Type.Null()], {
  description: 'Days to keep; null keeps forever',
});

const EntityType = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,99}$', description: 'NGSI-LD type' });

export const ProfileBody = Type.Object(
  {
    name: Name,
    decoder: DecoderSchema,
    quantities: Type.Optional(Type.Array(QuantitySchema, { maxItems: 100 })),
    entityType: Type.Optional(EntityType),
    rawRetentionDays: Type.Optional(Retention),
    rollupRetentionDays: Type.Optional(Retention),
  },
  { additionalProperties: false },
);
export type ProfileInput = Static<typeof ProfileBody>;

export const ProfilePatch = Type.Partial(ProfileBody, { additionalProperties: false, minProperties: 1 });
export type ProfilePatchInput = Static<typeof ProfilePatch>;

export const ProfileSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  decoder: DecoderSchema,
  quantities: Type.Array(QuantitySchema),
  entityType: Type.String(),
  synthetic: Type.Boolean(),
  rawRetentionDays: Type.Union([Type.Integer(), Type.Null()], { description: 'Days raw readings are kept' }),
  rollupRetentionDays: Type.Union([Type.Integer(), Type.Null()], { description: 'Days rollups are kept' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type Profile = Static<typeof ProfileSchema>;

export const DeviceBody = Type.Object(
  {
    devEui: DevEui,
    name: Name,
    profileId: Uuid,
    officeId: Type.Optional(Uuid),
    location: Point,
    installedOn: Type.Optional(Type.String({ format: 'date' })),
    tags: Type.Optional(
      Type.Array(Type.String({ pattern: '^[\\p{L}\\p{N}_:.-]{1,50}$' }), { maxItems: 20, uniqueItems: true }),
    ),
  },
  { additionalProperties: false },
);
export type DeviceInput = Static<typeof DeviceBody>;

export const DevicePatch = Type.Partial(Type.Omit(DeviceBody, ['devEui']), {
  additionalProperties: false,
  minProperties: 1,
});
export type DevicePatchInput = Static<typeof DevicePatch>;

const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()]);

export const DeviceSchema = Type.Object({
  id: Uuid,
  devEui: Type.String(),
  name: Type.String(),
  profileId: Uuid,
  officeId: Uuid,
  location: Type.Object({ lon: Type.Number(), lat: Type.Number() }),
  zoneCode: Type.Union([Type.String(), Type.Null()]),
  installedOn: Type.Union([Type.String(), Type.Null()]),
  tags: Type.Array(Type.String()),
  synthetic: Type.Boolean(),
  lastSeenAt: Type.Union([Type.String(), Type.Null()]),
  battery: Nullable(Type.Number()),
  rssi: Nullable(Type.Number()),
  snr: Nullable(Type.Number()),
  health: Type.Union([Type.Literal('online'), Type.Literal('late'), Type.Literal('offline')]),
  /** The device's own expected reporting interval; null: its profile's. */
  expectedIntervalS: Type.Union([Type.Integer(), Type.Null()]),
  margin: Type.Union([Type.Integer(), Type.Null()]),
  externalPower: Type.Union([Type.Boolean(), Type.Null()]),
  joinedAt: Type.Union([Type.String(), Type.Null()]),
  gatewayId: Type.Union([Type.String(), Type.Null()]),
  hasToken: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type Device = Static<typeof DeviceSchema>;

export const DeviceQuery = Type.Object(
  {
    profileId: Type.Optional(Uuid),
    officeId: Type.Optional(Uuid),
    tag: Type.Optional(Type.String({ maxLength: 50 })),
    health: Type.Optional(
      Type.Union([Type.Literal('online'), Type.Literal('late'), Type.Literal('offline')]),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
export type DeviceFilter = Static<typeof DeviceQuery>;

export const IdParam = Type.Object({ id: Uuid }, { additionalProperties: false });

export const ReadingsQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    quantity: Type.Optional(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,99}$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    resolution: Type.Optional(
      Type.Union(
        ['auto', 'raw', '5m', '1h', '1d'].map((r) => Type.Literal(r)),
        {
          description:
            'raw readings, a rollup level, or auto (the default): a few hundred points per quantity',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ReadingsFilter = Static<typeof ReadingsQuery>;

const Value = Type.Object({ quantity: Type.String(), value: Type.Number(), observedAt: Type.String() });
const Point_ = Type.Object({
  quantity: Type.String(),
  value: Type.Number({ description: 'The reading, or the average of the bucket' }),
  observedAt: Type.String({ description: 'The reading’s time, or the start of the bucket' }),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  count: Type.Optional(Type.Integer()),
  last: Type.Optional(Type.Number({ description: 'The value observed last in the bucket' })),
  lastAt: Type.Optional(Type.String()),
});
export const ReadingsSchema = Type.Object({
  latest: Type.Array(Value, { description: 'The latest value of each quantity' }),
  from: Type.String(),
  to: Type.String(),
  resolution: Type.Union(
    ['raw', '5m', '1h', '1d'].map((r) => Type.Literal(r)),
    {
      description:
        'What series holds: raw readings, or rollup buckets (5m and 1h in UTC, 1d on the Bangkok day)',
    },
  ),
  series: Type.Array(Point_, { description: 'Readings or buckets in [from, to), oldest first' }),
});

export const DeadLetterQuery = Type.Object(
  {
    reason: Type.Optional(
      Type.Union(
        ['unparseable', 'topic-mismatch', 'unknown-device', 'undecodable', 'unmapped', 'store-failed'].map(
          (r) => Type.Literal(r),
        ),
      ),
    ),
    devEui: Type.Optional(DevEui),
    replayed: Type.Optional(Type.Boolean({ description: 'true: only replayed ones; false: only open ones' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
export type DeadLetterFilter = Static<typeof DeadLetterQuery>;

export const DeadLetterSchema = Type.Object({
  id: Uuid,
  topic: Type.String(),
  payload: Type.String({ description: 'The raw message, base64' }),
  reason: Type.String(),
  detail: Type.Union([Type.String(), Type.Null()]),
  devEui: Type.Union([Type.String(), Type.Null()]),
  receivedAt: Type.String(),
  replayedAt: Type.Union([Type.String(), Type.Null()], { description: 'When a replay stored it' }),
  replayedBy: Type.Union([Type.String(), Type.Null()], { description: 'The user who replayed it' }),
  replayAttempts: Type.Integer(),
});

export const DeadLetterPage = Type.Object({
  items: Type.Array(DeadLetterSchema),
  total: Type.Integer({ description: 'How many match the filter' }),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

const reasons = [
  'unparseable',
  'topic-mismatch',
  'unknown-device',
  'undecodable',
  'unmapped',
  'store-failed',
];
export const ReplayFilter = Type.Object(
  {
    reason: Type.Optional(Type.Union(reasons.map((r) => Type.Literal(r)))),
    devEui: Type.Optional(DevEui),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, description: 'At most this many (default 500)' }),
    ),
  },
  { additionalProperties: false },
);
export type ReplayFilterInput = Static<typeof ReplayFilter>;

const Outcome = Type.Union(['stored', 'duplicate', 'failed', 'forbidden'].map((o) => Type.Literal(o)));
export const ReplayResultSchema = Type.Object({
  id: Uuid,
  outcome: Outcome,
  reason: Type.Optional(Type.String()),
  detail: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
export const BulkReplaySchema = Type.Object({
  tried: Type.Integer(),
  stored: Type.Integer(),
  duplicate: Type.Integer(),
  failed: Type.Integer(),
  forbidden: Type.Integer(),
  results: Type.Array(ReplayResultSchema),
});

export const ImportStatusSchema = Type.Object({
  id: Uuid,
  status: Type.Union(['running', 'done', 'failed', 'interrupted'].map((s) => Type.Literal(s))),
  total: Type.Integer(),
  processed: Type.Integer(),
  imported: Type.Integer(),
  errors: Type.Array(
    Type.Object({
      row: Type.Integer({ description: 'Line in the file; the header is line 1' }),
      column: Type.Union([Type.String(), Type.Null()]),
      code: Type.Optional(
        Type.String({ description: 'Why, as a stable code (absent on imports made before codes existed)' }),
      ),
      params: Type.Optional(
        Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), {
          description: 'The values the message names',
        }),
      ),
      message: Type.String({ description: 'Why, in English' }),
    }),
  ),
});
