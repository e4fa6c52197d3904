import { Type } from 'typebox';

export const Uuid = Type.String({ format: 'uuid' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const UserSchema = Type.Object({
  id: Uuid,
  kind: Type.Union([Type.Literal('staff'), Type.Literal('citizen')]),
  role: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  displayName: Type.String(),
  officeId: Nullable(Type.String()),
  officeCode: Type.Optional(Nullable(Type.String())),
  locale: Type.String(),
});

export const MeSchema = Type.Intersect([UserSchema, Type.Object({ csrfToken: Nullable(Type.String()) })]);

const Password = Type.String({ minLength: 10, maxLength: 200 });

export const SignupBody = Type.Object(
  {
    displayName: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    phone: Type.Optional(Type.String({ minLength: 9, maxLength: 20 })),
    nationalId: Type.Optional(Type.String({ pattern: '^[0-9]{13}$' })),
    password: Password,
    consent: Type.Boolean(),
    locale: Type.Optional(Type.Union([Type.Literal('th'), Type.Literal('en')])),
  },
  { additionalProperties: false },
);

export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254, description: 'Email, or a Thai mobile number' }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

export const TokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const TokenSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Nullable(Type.String({ format: 'date-time' })),
  expiresAt: Nullable(Type.String({ format: 'date-time' })),
});

export const NewAccountBody = Type.Object(
  {
    displayName: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    phone: Type.Optional(Type.String({ minLength: 9, maxLength: 20 })),
    password: Password,
    role: Type.Union(
      ['admin', 'executive', 'office_manager', 'officer', 'citizen'].map((r) => Type.Literal(r)),
    ),
    officeId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

export const Paging = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 }),
  },
  { additionalProperties: false },
);
