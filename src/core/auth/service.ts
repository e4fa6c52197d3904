import { randomBytes } from 'node:crypto';
import { type Actor, audit } from '../audit/audit.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { AppError } from '../errors.ts';
import type { Events } from '../events/outbox.ts';
import { msg } from '../i18n.ts';
import { PrincipalCache } from './principal-cache.ts';
import { AuthRepository, type UserRow } from './repository.ts';
import type { Principal, Role } from './roles.ts';
import { dummyHash, hashPassword, newSecret, sha256, verifyPassword } from './secrets.ts';
import { isValidThaiNationalId, normaliseThaiMobile } from './thai-id.ts';

export interface UserView {
  id: string;
  kind: 'staff' | 'citizen';
  role: Role;
  email: string | null;
  phone: string | null;
  displayName: string;
  officeId: string | null;
  officeCode: string | null;
  locale: 'th' | 'en';
}

export function toView(u: UserRow): UserView {
  return {
    id: u.id,
    kind: u.kind,
    role: u.role,
    email: u.email,
    phone: u.phone,
    displayName: u.displayName,
    officeId: u.officeId,
    officeCode: u.officeCode,
    locale: u.locale,
  };
}

export interface SignupInput {
  displayName: string;
  email?: string;
  phone?: string;
  nationalId?: string;
  password: string;
  consent: boolean;
  locale?: 'th' | 'en';
}

export interface NewAccount extends Omit<SignupInput, 'consent'> {
  role: Role;
  officeId?: string | null;
}

export interface Session {
  cookie: string;
  csrfToken: string;
  user: UserRow;
}

export class AuthService {
  readonly repo: AuthRepository;
  private readonly principals = new PrincipalCache();

  constructor(
    private readonly db: Db,
    private readonly events: Events,
    private readonly config: Pick<Config, 'SESSION_TTL_HOURS'>,
  ) {
    this.repo = new AuthRepository(db);
  }

  async signup(input: SignupInput, actor: Actor): Promise<Session> {
    if (!input.consent)
      throw AppError.badRequest('auth.consent_required', undefined, [
        { path: '/consent', message: msg('field.required') },
      ]);
    return this.db.transaction(async (tx) => {
      const user = await this.insertAccount(tx, { ...input, role: 'citizen' }, true);
      await audit(
        tx,
        { ...actor, id: user.id, label: user.displayName, role: 'citizen' },
        {
          action: 'user.signup',
          resourceType: 'user',
          resourceId: user.id,
        },
      );
      return this.openSession(tx, user, actor);
    });
  }

  /** Staff and citizen accounts made by an administrator or the CLI. */
  async createAccount(input: NewAccount, actor: Actor): Promise<UserRow> {
    return this.db.transaction(async (tx) => {
      const user = await this.insertAccount(tx, input, input.role === 'citizen');
      await audit(tx, actor, {
        action: 'user.create',
        resourceType: 'user',
        resourceId: user.id,
        detail: { role: user.role, officeId: user.officeId },
      });
      return user;
    });
  }

  private async insertAccount(
    tx: Parameters<Parameters<Db['transaction']>[0]>[0],
    input: NewAccount,
    consent: boolean,
  ) {
    const email = input.email?.trim().toLowerCase() || null;
    let phone: string | null = null;
    if (input.phone) {
      phone = normaliseThaiMobile(input.phone);
      if (!phone)
        throw AppError.badRequest('auth.phone_invalid', undefined, [
          { path: '/phone', message: msg('auth.phone_invalid') },
        ]);
    }
    if (!email && !phone)
      throw AppError.badRequest('auth.contact_required', undefined, [
        { path: '/email', message: msg('auth.contact_required') },
      ]);
    const nationalId = input.nationalId || null;
    if (nationalId && !isValidThaiNationalId(nationalId)) {
      throw AppError.badRequest('auth.national_id_invalid', undefined, [
        { path: '/nationalId', message: msg('field.check_digit') },
      ]);
    }
    if (await this.repo.contactTaken(tx, email, phone, nationalId))
      throw AppError.conflict('auth.account_exists');
    const user = await this.repo.insertUser(tx, {
      kind: input.role === 'citizen' ? 'citizen' : 'staff',
      role: input.role,
      email,
      phone,
      nationalId,
      displayName: input.displayName.trim(),
      officeId: input.officeId ?? null,
      passwordHash: await hashPassword(input.password),
      locale: input.locale ?? 'th',
      consent,
    });
    await this.events.publish(tx, 'user.created', { userId: user.id, kind: user.kind });
    return user;
  }

  async login(login: string, password: string, actor: Actor): Promise<Session> {
    const phone = login.includes('@') ? null : normaliseThaiMobile(login);
    const user = await this.repo.findByLogin(phone ? { phone } : { email: login.trim().toLowerCase() });
    const ok = user && !user.disabledAt ? await verifyPassword(user.passwordHash, password) : false;
    if (!user) await verifyPassword(await dummyHash(), password);
    if (!ok || !user) {
      // Outside the transaction below: a refused sign-in must leave its trace.
      await audit(this.db.orm, actor, {
        action: 'auth.login_failed',
        resourceType: 'user',
        resourceId: user?.id ?? null,
      });
      throw AppError.unauthorized('auth.invalid_credentials');
    }
    return this.db.transaction(async (tx) => {
      const who = {
        ...actor,
        id: user.id,
        label: user.displayName,
        role: user.role,
        officeId: user.officeId,
      };
      await audit(tx, who, { action: 'auth.login', resourceType: 'user', resourceId: user.id });
      return this.openSession(tx, user, actor);
    });
  }

  private async openSession(
    tx: Parameters<Parameters<Db['transaction']>[0]>[0],
    user: UserRow,
    actor: Actor,
  ) {
    const cookie = newSecret('');
    const csrfToken = randomBytes(24).toString('base64url');
    await this.repo.insertSession(tx, {
      idHash: sha256(cookie),
      userId: user.id,
      csrf: csrfToken,
      ttlHours: this.config.SESSION_TTL_HOURS,
      ip: actor.ip,
      userAgent: actor.userAgent?.slice(0, 500) ?? null,
    });
    return { cookie, csrfToken, user };
  }

  async logout(cookie: string, actor: Actor): Promise<void> {
    const key = `s:${cookie}`;
    this.principals.forget((k) => k === key);
    await this.db.transaction(async (tx) => {
      await this.repo.deleteSession(tx, sha256(cookie));
      await audit(tx, actor, { action: 'auth.logout', resourceType: 'user', resourceId: actor.id });
    });
  }

  /**
   * The principal of a token or session cookie if it is in the cache, else undefined (then call
   * fromToken/fromSession). The cache is keyed by the secret itself, not its hash: a SHA-256 per
   * request was 3 % of an authenticated request's CPU, and the secret is in this process's memory
   * for the request anyway; entries live seconds (PrincipalCache) and are never written anywhere.
   */
  cached(via: 'token' | 'session', secret: string): Principal | undefined {
    return this.principals.peek(`${via === 'token' ? 't' : 's'}:${secret}`);
  }

  fromSession(cookie: string): Promise<Principal | null> {
    return this.principals.get(`s:${cookie}`, async () => {
      const hash = sha256(cookie);
      const row = await this.repo.sessionUser(hash);
      return row ? principal(row, 'session', row.csrfToken, null) : null;
    });
  }

  fromToken(token: string): Promise<Principal | null> {
    return this.principals.get(`t:${token}`, async () => {
      const hash = sha256(token);
      const row = await this.repo.tokenUser(hash);
      if (!row) return null;
      if (row.stale) await this.repo.touchToken(row.tokenId);
      return principal(row, 'token', null, row.tokenId);
    });
  }

  async createToken(userId: string, name: string, expiresAt: string | null, actor: Actor) {
    const token = newSecret('mue_');
    const id = await this.db.transaction(async (tx) => {
      const tokenId = await this.repo.insertToken(tx, { userId, name, hash: sha256(token), expiresAt });
      await audit(tx, actor, {
        action: 'token.create',
        resourceType: 'token',
        resourceId: tokenId,
        detail: { name },
      });
      return tokenId;
    });
    return { id, token };
  }

  async revokeToken(userId: string, tokenId: string, actor: Actor) {
    this.principals.forget((_key, p) => p.tokenId === tokenId);
    await this.db.transaction(async (tx) => {
      if (!(await this.repo.revokeToken(tx, userId, tokenId))) throw AppError.notFound();
      await audit(tx, actor, { action: 'token.revoke', resourceType: 'token', resourceId: tokenId });
    });
  }
}

function principal(
  u: UserRow,
  via: Principal['via'],
  csrfToken: string | null,
  tokenId: string | null,
): Principal {
  return {
    userId: u.id,
    kind: u.kind,
    role: u.role,
    officeId: u.officeId,
    officeCode: u.officeCode,
    displayName: u.displayName,
    email: u.email,
    phone: u.phone,
    nationalId: u.nationalId,
    locale: u.locale,
    via,
    csrfToken,
    tokenId,
  };
}
