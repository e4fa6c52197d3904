import type { FastifyInstance, FastifyReply } from 'fastify';
import { type Static, Type } from 'typebox';
import { audit } from '../audit/audit.ts';
import { AppError } from '../errors.ts';
import { msg } from '../i18n.ts';
import { sessionCookie } from './plugin.ts';
import type { Role } from './roles.ts';
import {
  LoginBody,
  MeSchema,
  NewAccountBody,
  SignupBody,
  TokenBody,
  TokenSchema,
  UserSchema,
  Uuid,
} from './schemas.ts';
import { type Session, toView } from './service.ts';

const tag = { tags: ['auth'] };

export async function authRoutes(app: FastifyInstance) {
  const setCookie = (reply: FastifyReply, session: Session) =>
    reply.setCookie(sessionCookie, session.cookie, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: app.config.secureCookies,
      maxAge: app.config.SESSION_TTL_HOURS * 3600,
    });

  app.post(
    '/api/auth/signup',
    {
      config: { access: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: { ...tag, summary: 'Citizen sign-up', body: SignupBody, response: { 201: MeSchema } },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof SignupBody>;
      const session = await app.auth.signup(body, request.actor());
      setCookie(reply, session);
      return reply.code(201).send({ ...toView(session.user), csrfToken: session.csrfToken });
    },
  );

  app.post(
    '/api/auth/login',
    {
      config: { access: 'public', csrfExempt: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        ...tag,
        summary: 'Sign in with email (or Thai mobile) and password',
        body: LoginBody,
        response: { 200: MeSchema },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body as Static<typeof LoginBody>;
      const session = await app.auth.login(email, password, request.actor());
      setCookie(reply, session);
      return { ...toView(session.user), csrfToken: session.csrfToken };
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { access: 'user' }, schema: { ...tag, summary: 'End the session' } },
    async (request, reply) => {
      const cookie = request.cookies[sessionCookie];
      if (cookie) await app.auth.logout(cookie, request.actor());
      reply.clearCookie(sessionCookie, { path: '/' });
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/me',
    { config: { access: 'user' }, schema: { ...tag, summary: 'Who am I', response: { 200: MeSchema } } },
    async (request) => {
      const p = request.principal!;
      return {
        id: p.userId,
        kind: p.kind,
        role: p.role,
        email: p.email,
        phone: p.phone,
        displayName: p.displayName,
        officeId: p.officeId,
        officeCode: p.officeCode,
        locale: p.locale,
        csrfToken: p.csrfToken,
      };
    },
  );

  app.get(
    '/api/tokens',
    {
      config: { access: 'user' },
      schema: { ...tag, summary: 'My API tokens', response: { 200: Type.Array(TokenSchema) } },
    },
    async (request) => app.auth.repo.listTokens(request.principal!.userId),
  );

  app.post(
    '/api/tokens',
    {
      config: { access: 'user' },
      schema: {
        ...tag,
        summary: 'Create a personal API token (shown once)',
        body: TokenBody,
        response: { 201: Type.Object({ id: Uuid, token: Type.String() }) },
      },
    },
    async (request, reply) => {
      const { name, expiresAt } = request.body as Static<typeof TokenBody>;
      if (expiresAt && Date.parse(expiresAt) <= Date.now()) {
        throw AppError.badRequest('request.invalid', msg('request.expires_past'), [
          { path: '/expiresAt', message: msg('field.in_past') },
        ]);
      }
      const created = await app.auth.createToken(
        request.principal!.userId,
        name,
        expiresAt ?? null,
        request.actor(),
      );
      return reply.code(201).send(created);
    },
  );

  app.delete(
    '/api/tokens/:id',
    {
      config: { access: 'user' },
      schema: { ...tag, summary: 'Revoke one of my tokens', params: Type.Object({ id: Uuid }) },
    },
    async (request, reply) => {
      await app.auth.revokeToken(
        request.principal!.userId,
        (request.params as { id: string }).id,
        request.actor(),
      );
      return reply.code(204).send();
    },
  );

  // Accounts: personal data, so every read by staff is audited.
  const usersQuery = Type.Object(
    {
      kind: Type.Optional(Type.Union([Type.Literal('staff'), Type.Literal('citizen')])),
      limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
      offset: Type.Integer({ minimum: 0, default: 0 }),
    },
    { additionalProperties: false },
  );
  app.get(
    '/api/users',
    {
      config: { access: ['admin', 'office_manager'] },
      schema: {
        tags: ['accounts'],
        summary: 'List accounts (admin: all; office manager: the staff of their office)',
        querystring: usersQuery,
        response: { 200: Type.Object({ items: Type.Array(UserSchema), total: Type.Integer() }) },
      },
    },
    async (request) => {
      const q = request.query as Static<typeof usersQuery>;
      const p = request.principal!;
      const scope = p.role === 'admin' ? {} : { kind: 'staff', officeId: p.officeId ?? undefined };
      const result = await app.auth.repo.listUsers({ ...q, ...scope });
      await audit(app.db.orm, request.actor(), {
        action: 'user.list',
        resourceType: 'user',
        detail: { count: result.items.length, ids: result.items.map((u) => u.id) },
      });
      return { items: result.items.map(toView), total: result.total };
    },
  );

  app.post(
    '/api/users',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['accounts'],
        summary: 'Create a staff or citizen account',
        body: NewAccountBody,
        response: { 201: UserSchema },
      },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof NewAccountBody>;
      const user = await app.auth.createAccount({ ...body, role: body.role as Role }, request.actor());
      return reply.code(201).send(toView(user));
    },
  );
}
