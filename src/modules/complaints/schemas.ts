import { type Static, Type } from 'typebox';
import { Photos } from '../../core/media/schema.ts';
import { priorities, statuses } from './domain.ts';
import { PhotoRefSchema } from './photos.ts';

export const StatusSchema = Type.Enum(statuses);
export const PrioritySchema = Type.Enum(priorities);
export const CategoryCode = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,63}$' });
export const Reference = Type.String({ pattern: '^KK-[0-9]{4}-[0-9]{6,}$' });
export const Latitude = Type.Number({ minimum: -90, maximum: 90 });
export const Longitude = Type.Number({ minimum: -180, maximum: 180 });
export const Email = Type.String({ format: 'email', maxLength: 254 });
export const Phone = Type.String({ pattern: '^0[0-9]{8,9}$' });

export const CategorySchema = Type.Object({
  code: Type.String(),
  nameTh: Type.String(),
  nameEn: Type.String(),
  icon: Type.String(),
  office: Type.String(),
  slaHours: Type.Integer(),
  synthetic: Type.Boolean(),
});
export type Category = Static<typeof CategorySchema>;

export const ContactSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
  },
  { additionalProperties: false },
);
export type Contact = Static<typeof ContactSchema>;

export const NewRequestBody = Type.Object(
  {
    category: CategoryCode,
    description: Type.String({ minLength: 1, maxLength: 4000 }),
    lat: Latitude,
    lon: Longitude,
    address: Type.Optional(Type.String({ maxLength: 500 })),
    /** Required when not signed in; never shown publicly. */
    contact: Type.Optional(ContactSchema),
    /** Up to five photos of the problem; re-encoded without metadata, never public. */
    photos: Type.Optional(Photos()),
  },
  { additionalProperties: false },
);
export type NewRequest = Static<typeof NewRequestBody>;

export const EventSchema = Type.Object({
  kind: Type.String(),
  fromStatus: Type.Union([Type.String(), Type.Null()]),
  toStatus: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  public: Type.Boolean(),
  actor: Type.Union([Type.String(), Type.Null()]),
  at: Type.String(),
});
export type RequestEvent = Static<typeof EventSchema>;

/** A request as anyone may see it: no reporter, no contact, no internal note. */
export const PublicRequestSchema = Type.Object({
  reference: Type.String(),
  category: Type.String(),
  office: Type.String(),
  description: Type.String(),
  lat: Type.Number(),
  lon: Type.Number(),
  address: Type.Union([Type.String(), Type.Null()]),
  zone: Type.String(),
  community: Type.Union([Type.String(), Type.Null()]),
  status: StatusSchema,
  priority: PrioritySchema,
  supporters: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  /** When the category's working-hours SLA runs out (pushed back by time on hold). */
  dueAt: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  escalatedAt: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  resolvedAt: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  /** The reporter's 1–5 rating; the comment is for the reporter and staff only. */
  rating: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  /** The reference of the request this duplicate was merged into. */
  mergedInto: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  forwardedTo: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
export type PublicRequest = Static<typeof PublicRequestSchema>;

/** A request in a staff queue: the public view and its photos, for thumbnails. */
export const QueueItemSchema = Type.Object({
  ...PublicRequestSchema.properties,
  photos: Type.Array(PhotoRefSchema),
});

/** What the reporter and the responsible staff see besides: the contact and the events they may read. */
export const RequestDetailSchema = Type.Intersect([
  PublicRequestSchema,
  Type.Object({
    contact: Type.Optional(
      Type.Object({
        name: Type.Union([Type.String(), Type.Null()]),
        email: Type.Union([Type.String(), Type.Null()]),
        phone: Type.Union([Type.String(), Type.Null()]),
        account: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
    events: Type.Array(EventSchema),
    /** The reporter's and staff's photos; read each with GET …/photos/{id}. */
    photos: Type.Optional(Type.Array(PhotoRefSchema)),
    nextStatuses: Type.Optional(Type.Array(StatusSchema)),
    ratingComment: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    /** For the reporter: whether they may rate now, and until when they may reopen. */
    canRate: Type.Optional(Type.Boolean()),
    reopenUntil: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  }),
]);

export const RefParam = Type.Object({ reference: Reference }, { additionalProperties: false });
export const PhotoParam = Type.Object(
  { reference: Reference, id: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);

export const NearbyQuery = Type.Object(
  { category: CategoryCode, lat: Latitude, lon: Longitude },
  { additionalProperties: false },
);

export const PageQuery = {
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
};

export const QueueQuery = Type.Object(
  {
    office: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,63}$' })),
    status: Type.Optional(StatusSchema),
    category: Type.Optional(CategoryCode),
    priority: Type.Optional(PrioritySchema),
    /** Open and past its due time. */
    overdue: Type.Optional(Type.Boolean()),
    escalated: Type.Optional(Type.Boolean()),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type QueueInput = Static<typeof QueueQuery>;

export const TransitionBody = Type.Object(
  {
    to: StatusSchema,
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
    /** Whether the citizen sees the note; internal by default. */
    public: Type.Boolean({ default: false }),
    /** "After" photos of the work. */
    photos: Type.Optional(Photos()),
  },
  { additionalProperties: false },
);
export type TransitionInput = Static<typeof TransitionBody>;

export const NoteBody = Type.Object(
  {
    note: Type.String({ minLength: 1, maxLength: 4000 }),
    public: Type.Boolean(),
    photos: Type.Optional(Photos()),
  },
  { additionalProperties: false },
);
export type NoteInput = Static<typeof NoteBody>;

export const AssignBody = Type.Object(
  {
    office: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,63}$' }),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
  },
  { additionalProperties: false },
);
export const PriorityBody = Type.Object({ priority: PrioritySchema }, { additionalProperties: false });

export const RatingBody = Type.Object(
  {
    rating: Type.Integer({ minimum: 1, maximum: 5 }),
    comment: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type RatingInput = Static<typeof RatingBody>;

export const ReopenBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 4000 }) },
  { additionalProperties: false },
);

export const MergeBody = Type.Object(
  { into: Reference, note: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })) },
  { additionalProperties: false },
);

export const ForwardBody = Type.Object(
  {
    agency: Type.String({ minLength: 1, maxLength: 200 }),
    /** Shown to the citizen: why and to whom. */
    note: Type.String({ minLength: 1, maxLength: 4000 }),
  },
  { additionalProperties: false },
);

export const HolidaySchema = Type.Object({
  day: Type.String({ format: 'date' }),
  nameTh: Type.String(),
  nameEn: Type.String(),
  source: Type.Union([Type.String(), Type.Null()]),
  synthetic: Type.Boolean(),
});
export type Holiday = Static<typeof HolidaySchema>;

export const NewHolidayBody = Type.Object(
  {
    day: Type.String({ format: 'date' }),
    nameTh: Type.String({ minLength: 1, maxLength: 200 }),
    nameEn: Type.String({ minLength: 1, maxLength: 200 }),
    source: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);
export const HolidayParam = Type.Object(
  { day: Type.String({ format: 'date' }) },
  { additionalProperties: false },
);
export const HolidayQuery = Type.Object(
  { year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2200 })) },
  { additionalProperties: false },
);
