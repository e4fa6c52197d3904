import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../testing/index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t?.close());

const users = async () =>
  (await t.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM core_users`))[0].n;

describe('access log', () => {
  it('writes one line per request, when it completes, with method, url, status and time', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = { write: (line: string) => lines.push(JSON.parse(line)) };
    const logged = await testApp({ seed: false, logger: { level: 'info', stream } });
    try {
      await logged.app.inject({ method: 'GET', url: '/healthz' });
      await logged.app.inject({ method: 'GET', url: '/api/no-such-thing?x=1' });
      const access = lines.filter((l) => l.msg === 'request completed');
      expect(lines.filter((l) => l.msg === 'incoming request')).toEqual([]);
      expect(access).toHaveLength(2);
      expect(access[0]).toMatchObject({ req: { method: 'GET', url: '/healthz' }, res: { statusCode: 200 } });
      expect(access[1]).toMatchObject({ req: { url: '/api/no-such-thing?x=1' }, res: { statusCode: 404 } });
      expect(typeof access[0].responseTime).toBe('number');
      expect(access[0].reqId).toEqual(expect.any(String));
    } finally {
      await logged.close();
    }
  });
});

describe('operations endpoints', () => {
  it('answers health, readiness and metrics', async () => {
    expect((await t.json({ method: 'GET', url: '/healthz' })).body).toEqual({ status: 'ok' });
    expect((await t.json({ method: 'GET', url: '/readyz' })).body).toMatchObject({
      status: 'ready',
      database: true,
    });
    await t.app.inject({ method: 'GET', url: '/api/meta' });
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('mueang_http_requests_total');
    expect(metrics.body).toContain('mueang_db_query_duration_seconds');
    expect(metrics.body).toContain('route="/api/meta"');
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const doc = await t.json({ method: 'GET', url: '/api/docs/json' });
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(doc.body.paths['/api/auth/login'].post.requestBody).toBeDefined();
    expect(doc.body.components.securitySchemes.bearer).toBeDefined();
    expect((await t.app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBeLessThan(400);
  });

  it('lists the seven dimensions in order', async () => {
    const meta = await t.json({ method: 'GET', url: '/api/meta' });
    expect(meta.body.dimensions.map((d: { id: string }) => d.id)).toEqual([
      'people',
      'living',
      'education',
      'environment',
      'economy',
      'governance',
      'mobility',
    ]);
    expect(meta.body.city.nameTh).toBe('เทศบาลนครขอนแก่น');
  });

  it('carries a request id and security headers', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'trace-12345678' },
    });
    expect(res.headers['x-request-id']).toBe('trace-12345678');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    const page = await t.app.inject({ method: 'GET', url: '/' });
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/static/index.html' });
    expect(docs.headers['content-security-policy']).toContain("default-src 'self'");
    const odd = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': '<script>' },
    });
    expect(odd.headers['x-request-id']).not.toBe('<script>');
  });
});

describe('bad input is a problem+json 4xx and changes nothing', () => {
  const signup = {
    displayName: 'Test',
    email: 'bad-input@example.org',
    password: 'a long password',
    consent: true,
  };

  it.each([
    ['wrong types', { ...signup, consent: 'yes', displayName: 42 }],
    ['unknown fields', { ...signup, isAdmin: true }],
    ['a bad email', { ...signup, email: 'not-an-email' }],
    ['a short password', { ...signup, password: 'short' }],
    ['an array body', [signup]],
  ])('%s', async (_name, payload) => {
    const before = await users();
    const res = await t.json({ method: 'POST', url: '/api/auth/signup', payload: payload as object });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'request.invalid' });
    expect(res.body.type).toMatch(/^https:\/\//);
    expect(Array.isArray(res.body.errors)).toBe(true);
    expect(await users()).toBe(before);
  });

  it('names the unknown field', async () => {
    const res = await t.json({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { ...signup, role: 'admin' },
    });
    expect(res.body.errors[0].path).toContain('role');
  });

  it('refuses a 10 MB body with 413', async () => {
    const before = await users();
    const res = await t.json({
      method: 'POST',
      url: '/api/auth/signup',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ ...signup, displayName: 'x'.repeat(10 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('request.too_large');
    expect(await users()).toBe(before);
  });

  it('answers malformed JSON and an unsupported media type', async () => {
    const bad = await t.json({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('request.malformed');
    const xml = await t.json({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(xml.status).toBe(415);
  });

  it('stores injection and script strings as plain text', async () => {
    const evil = "Robert'); DROP TABLE core_users;-- <script>alert(1)</script>";
    const res = await t.json({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { ...signup, email: 'bobby@example.org', displayName: evil },
    });
    expect(res.status).toBe(201);
    expect(res.body.displayName).toBe(evil);
    expect(await users()).toBeGreaterThan(0);
    const login = await t.json({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: "' OR 1=1 --", password: "' OR '1'='1" },
    });
    expect(login.status).toBe(401);
  });

  it('rejects a non-UUID id in a path and an unknown route as problems', async () => {
    const res = await t.json({
      method: 'DELETE',
      url: '/api/tokens/1;DROP TABLE x',
      headers: await t.tokenFor('citizen'),
    });
    expect(res.status).toBe(400);
    const none = await t.json({ method: 'GET', url: '/api/nothing-here' });
    expect(none.status).toBe(404);
    expect(none.body.code).toBe('route.not_found');
  });

  it('rate-limits anonymous callers but not signed-in ones', async () => {
    const limited = await testApp({ seed: false, env: { RATE_LIMIT_ANON: '3' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await limited.app.inject({ method: 'GET', url: '/api/meta' })).statusCode);
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      expect(statuses[4]).toBe(429);
      const res = await limited.json({ method: 'GET', url: '/api/meta' });
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.body.code).toBe('request.rate_limited');
    } finally {
      await limited.close();
    }
  });
});

describe('field errors in the request language', () => {
  const signup = {
    displayName: 'Lang',
    email: 'lang@example.org',
    password: 'a long password',
    consent: true,
  };
  const post = (payload: object, language?: string) =>
    t.json({
      method: 'POST',
      url: '/api/auth/signup',
      payload,
      headers: language ? { 'accept-language': language } : {},
    });

  it('words schema errors in Thai by default and in English on request, with path and keyword', async () => {
    const { email: _e, ...noEmail } = signup;
    const payload = { ...noEmail, displayName: 42, consent: 'yes', role: 'admin' };
    const th = await post(payload);
    const en = await post(payload, 'en-US,en;q=0.9,th;q=0.5');
    for (const res of [th, en]) {
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('request.invalid');
      const byPath = Object.fromEntries(
        res.body.errors.map((e: { path: string; keyword: string }) => [e.path, e.keyword]),
      );
      expect(byPath).toMatchObject({
        '/body/displayName': 'type',
        '/body/consent': 'type',
        '/body/role': 'additionalProperties',
      });
    }
    const message = (res: typeof th, path: string) =>
      res.body.errors.find((e: { path: string }) => e.path === path).message;
    expect(th.body.title).toBe('ข้อมูลที่ส่งมาไม่ถูกต้อง');
    expect(message(th, '/body/displayName')).toBe('ต้องเป็น ข้อความ');
    expect(message(th, '/body/consent')).toBe('ต้องเป็น ค่าจริง/เท็จ');
    expect(message(th, '/body/role')).toBe('ต้องไม่มีคุณสมบัติเพิ่มเติม');
    expect(th.body.detail).toContain('/body/displayName ต้องเป็น ข้อความ');
    expect(en.body.title).toBe('The request is not valid');
    expect(message(en, '/body/displayName')).toBe('must be string');
    expect(message(en, '/body/consent')).toBe('must be boolean');
    expect(message(en, '/body/role')).toBe('must not have additional properties');
    expect(en.body.detail).toContain('/body/displayName must be string');
    expect(en.body.detail).not.toMatch(/[\u0E00-\u0E7F]/);
  });

  it("words the server's own checks in the request language, keyword = message code", async () => {
    // 1234567890121 is a valid Thai ID; a different last digit fails the check digit.
    const th = await post({ ...signup, nationalId: '1234567890123' });
    expect(th.status).toBe(400);
    expect(th.body).toMatchObject({
      code: 'auth.national_id_invalid',
      title: 'เลขประจำตัวประชาชนไม่ถูกต้อง',
      errors: [
        { path: '/nationalId', message: 'เลขตรวจสอบ (หลักสุดท้าย) ไม่ถูกต้อง', keyword: 'field.check_digit' },
      ],
    });
    const en = await post({ ...signup, nationalId: '1234567890123' }, 'en');
    expect(en.body).toMatchObject({
      title: 'The Thai national ID is not valid',
      errors: [{ path: '/nationalId', message: 'the check digit is wrong', keyword: 'field.check_digit' }],
    });

    const headers = await t.signIn('citizen');
    const past = { name: 'old', expiresAt: '2020-01-01T00:00:00Z' };
    const token = (language: string) =>
      t.json({
        method: 'POST',
        url: '/api/tokens',
        headers: { ...headers, 'accept-language': language },
        payload: past,
      });
    expect((await token('th')).body).toMatchObject({
      code: 'request.invalid',
      detail: 'เวลาหมดอายุ (expiresAt) ผ่านไปแล้ว',
      errors: [{ path: '/expiresAt', message: 'เป็นเวลาที่ผ่านไปแล้ว', keyword: 'field.in_past' }],
    });
    expect((await token('en')).body).toMatchObject({
      code: 'request.invalid',
      detail: 'expiresAt is in the past',
      errors: [{ path: '/expiresAt', message: 'is in the past', keyword: 'field.in_past' }],
    });
  });
});

describe('CORS', () => {
  it('allows only the configured origins, with credentials', async () => {
    const c = await testApp({ seed: false, env: { CORS_ORIGINS: 'https://portal.khonkaen.example' } });
    try {
      const ok = await c.app.inject({
        method: 'OPTIONS',
        url: '/api/meta',
        headers: { origin: 'https://portal.khonkaen.example', 'access-control-request-method': 'GET' },
      });
      expect(ok.headers['access-control-allow-origin']).toBe('https://portal.khonkaen.example');
      expect(ok.headers['access-control-allow-credentials']).toBe('true');
      const other = await c.app.inject({
        method: 'GET',
        url: '/api/meta',
        headers: { origin: 'https://evil.example' },
      });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await c.close();
    }
    const none = await t.app.inject({
      method: 'GET',
      url: '/api/meta',
      headers: { origin: 'https://portal.khonkaen.example' },
    });
    expect(none.headers['access-control-allow-origin']).toBeUndefined();
  });
});
