import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../testing/index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t?.close());

const count = async (table: string) =>
  (await t.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`))[0].n;

describe('citizen sign-up and sign-in', () => {
  it('signs up with an email, gets a session and sees only themself', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: {
        displayName: 'นางสาวมาลี ศรีสุข',
        email: 'Malee@Example.org',
        password: 'correct horse battery',
        consent: true,
      },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ kind: 'citizen', role: 'citizen', email: 'malee@example.org' });
    expect(body).not.toHaveProperty('passwordHash');
    const cookie = res.cookies.find((c) => c.name === 'mueang_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const me = await t.json({
      method: 'GET',
      url: '/api/me',
      headers: { cookie: `mueang_session=${cookie.value}` },
    });
    expect(me.status).toBe(200);
    expect(me.body.displayName).toBe('นางสาวมาลี ศรีสุข');
  });

  it('signs up with a Thai mobile number and a valid national ID, then signs in with the number', async () => {
    const res = await t.json({
      method: 'POST',
      url: '/api/auth/signup',
      payload: {
        displayName: 'Somsak',
        phone: '+66 89 123 4567',
        nationalId: '1234567890121',
        password: 'a long password',
        consent: true,
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.phone).toBe('0891234567');
    const login = await t.json({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: '089-123-4567', password: 'a long password' },
    });
    expect(login.status).toBe(200);
    expect(login.body.csrfToken).toBeTypeOf('string');
  });

  it('rejects a national ID with a wrong check digit, and no row is written', async () => {
    const before = await count('core_users');
    const res = await t.json({
      method: 'POST',
      url: '/api/auth/signup',
      payload: {
        displayName: 'X',
        email: 'x@example.org',
        nationalId: '1234567890122',
        password: 'a long password',
        consent: true,
      },
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('auth.national_id_invalid');
    expect(await count('core_users')).toBe(before);
  });

  it('refuses a duplicate account with 409', async () => {
    const payload = {
      displayName: 'Dup',
      email: 'citizen@demo.local',
      password: 'a long password',
      consent: true,
    };
    const res = await t.json({ method: 'POST', url: '/api/auth/signup', payload });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('auth.account_exists');
  });

  it('requires consent and a contact', async () => {
    const noConsent = await t.json({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { displayName: 'A', email: 'a@example.org', password: 'a long password', consent: false },
    });
    expect(noConsent.body.code).toBe('auth.consent_required');
    const noContact = await t.json({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { displayName: 'A', password: 'a long password', consent: true },
    });
    expect(noContact.body.code).toBe('auth.contact_required');
  });

  it('answers a wrong password and an unknown account the same way, in Thai or English', async () => {
    const wrong = await t.json({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'admin@demo.local', password: 'nope-nope-nope' },
    });
    const unknown = await t.json({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'ghost@demo.local', password: 'nope-nope-nope' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.code).toBe('auth.invalid_credentials');
    expect(wrong.body.title).toBe('อีเมลหรือรหัสผ่านไม่ถูกต้อง');
    const en = await t.json({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'accept-language': 'en-GB,en;q=0.9' },
      payload: { email: 'ghost@demo.local', password: 'x' },
    });
    expect(en.body.title).toBe('Wrong email or password');
  });
});

describe('sessions, CSRF and tokens', () => {
  it('needs the CSRF token for unsafe requests made with the session cookie', async () => {
    const headers = await t.signIn('citizen');
    const without = await t.json({
      method: 'POST',
      url: '/api/tokens',
      headers: { cookie: headers.cookie },
      payload: { name: 'x' },
    });
    expect(without.status).toBe(403);
    expect(without.body.code).toBe('auth.csrf');
    const withIt = await t.json({ method: 'POST', url: '/api/tokens', headers, payload: { name: 'x' } });
    expect(withIt.status).toBe(201);
  });

  it('creates a token shown once, stores only its hash, and accepts it as Bearer on every API', async () => {
    const headers = await t.signIn('officer');
    const created = await t.json({
      method: 'POST',
      url: '/api/tokens',
      headers,
      payload: { name: 'integration' },
    });
    expect(created.body.token).toMatch(/^mue_/);
    const stored = await t.db.rows<{ token_hash: string }>(
      sql`SELECT token_hash FROM core_tokens WHERE id = ${created.body.id}`,
    );
    expect(stored[0].token_hash).not.toContain(created.body.token);
    const bearer = { authorization: `Bearer ${created.body.token}` };
    const me = await t.json({ method: 'GET', url: '/api/me', headers: bearer });
    expect(me.body.role).toBe('officer');
    // No CSRF for bearer tokens: they are not sent by browsers on their own.
    const second = await t.json({
      method: 'POST',
      url: '/api/tokens',
      headers: bearer,
      payload: { name: 'by token' },
    });
    expect(second.status).toBe(201);
    const list = await t.json({ method: 'GET', url: '/api/tokens', headers: bearer });
    expect(list.body.map((x: { name: string }) => x.name)).toContain('integration');
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);
    const revoke = await t.app.inject({ method: 'DELETE', url: `/api/tokens/${created.body.id}`, headers });
    expect(revoke.statusCode).toBe(204);
    const after = await t.json({ method: 'GET', url: '/api/me', headers: bearer });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('auth.invalid_token');
  });

  it('rejects a malformed or unknown bearer token', async () => {
    for (const authorization of ['Bearer', 'Bearer mue_nope', 'Basic abc', "Bearer ' OR '1'='1"]) {
      const res = await t.json({ method: 'GET', url: '/api/me', headers: { authorization } });
      expect(res.status).toBe(401);
    }
  });

  it('ends the session on logout', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'executive@demo.local', password: 'mueang-demo' },
    });
    const cookie = `mueang_session=${login.cookies[0].value}`;
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, 'x-csrf-token': login.json().csrfToken },
    });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('refuses an expired token date', async () => {
    const res = await t.json({
      method: 'POST',
      url: '/api/tokens',
      headers: await t.signIn('citizen'),
      payload: { name: 'old', expiresAt: '2001-01-01T00:00:00Z' },
    });
    expect(res.status).toBe(400);
  });
});

describe('accounts administration', () => {
  it('lets an admin create staff for an office and list accounts, auditing the read', async () => {
    const admin = await t.signIn('admin');
    const offices = await t.json({ method: 'GET', url: '/api/org/offices' });
    const finance = offices.body.find((o: { code: string }) => o.code === 'finance');
    const created = await t.json({
      method: 'POST',
      url: '/api/users',
      headers: admin,
      payload: {
        displayName: 'Revenue officer',
        email: 'revenue@example.org',
        password: 'a long password',
        role: 'officer',
        officeId: finance.id,
      },
    });
    expect(created.status).toBe(201);
    const list = await t.json({ method: 'GET', url: '/api/users?kind=staff', headers: admin });
    expect(list.body.items.some((u: { email: string }) => u.email === 'revenue@example.org')).toBe(true);
    const audit = await t.db.rows(sql`SELECT 1 FROM core_audit_log WHERE action = 'user.list'`);
    expect(audit.length).toBeGreaterThan(0);
  });

  it('scopes an office manager to the staff of their own office', async () => {
    const list = await t.json({
      method: 'GET',
      url: '/api/users',
      headers: await t.signIn('office_manager'),
    });
    expect(list.status).toBe(200);
    const me = await t.json({ method: 'GET', url: '/api/me', headers: await t.signIn('office_manager') });
    for (const u of list.body.items) {
      expect(u.kind).toBe('staff');
      expect(u.officeId).toBe(me.body.officeId);
    }
    expect(list.body.items.some((u: { role: string }) => u.role === 'citizen')).toBe(false);
  });

  it('rejects staff without an office for an office role', async () => {
    const res = await t.json({
      method: 'POST',
      url: '/api/users',
      headers: await t.signIn('admin'),
      payload: {
        displayName: 'No office',
        email: 'no-office@example.org',
        password: 'a long password',
        role: 'officer',
      },
    });
    expect(res.status).toBe(400);
  });
});
