import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allows, allRoles, type Principal, type Role } from '../auth/roles.ts';
import { demoAccounts } from '../seed.ts';
import { type TestApp, testApp } from '../testing/index.ts';

/**
 * The role matrix: every route of the platform, called by an anonymous caller and by each role,
 * answers 401 / 403 exactly when its declared access says so, and never fails with a 5xx.
 * It grows by itself: a module's new routes are in `app.routeTable` and are walked here.
 */
let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t?.close());

const placeholder = '00000000-0000-4000-8000-000000000000';
const callers: (Role | 'anonymous')[] = ['anonymous', ...allRoles];

function principalFor(role: Role): Principal {
  const account = demoAccounts.find((a) => a.role === role);
  return {
    officeCode: account?.office ?? null,
    userId: placeholder,
    kind: role === 'citizen' ? 'citizen' : 'staff',
    role,
    officeId: null,
    displayName: role,
    email: null,
    phone: null,
    nationalId: null,
    locale: 'th',
    via: 'token',
    csrfToken: null,
    tokenId: null,
  };
}

describe('role matrix', () => {
  it('covers the platform routes', () => {
    const urls = t.app.routeTable.map((r) => `${r.method} ${r.url}`);
    for (const expected of [
      'GET /api/me',
      'POST /api/tokens',
      'GET /api/audit',
      'POST /api/org/offices',
      'GET /readyz',
    ]) {
      expect(urls).toContain(expected);
    }
  });

  it('answers every route for every caller as declared', async () => {
    const failures: string[] = [];
    const routes = t.app.routeTable.filter(
      (r) => r.url !== '/*' && !r.url.startsWith('/api/docs') && r.url !== '/api/auth/logout',
    );
    for (const route of routes) {
      const url = route.url.replace(/:[A-Za-z]+/g, placeholder).replace('*', 'x');
      for (const caller of callers) {
        const headers = caller === 'anonymous' ? {} : await t.tokenFor(caller);
        const res = await t.app.inject({
          method: route.method as 'GET',
          url,
          headers,
          ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { payload: {} } : {}),
        });
        const verdict = allows(
          route.access,
          caller === 'anonymous' ? null : principalFor(caller),
          route.offices,
        );
        const status = res.statusCode;
        // Signature-checked routes (webhooks) refuse every caller without the signature.
        if (route.access === 'signature') {
          if (status !== 401)
            failures.push(
              `${route.method} ${route.url} as ${caller}: ${status} (expected 401 without a signature)`,
            );
          continue;
        }
        // Device-token routes (bulk ingest) refuse every caller without the device's token.
        if (route.access === 'device-token') {
          if (status !== 401)
            failures.push(
              `${route.method} ${route.url} as ${caller}: ${status} (expected 401 without a device token)`,
            );
          continue;
        }
        // API-key routes (Open311) refuse every caller without the key with 403, as their standard says.
        if (route.access === 'api-key') {
          if (status !== 403)
            failures.push(
              `${route.method} ${route.url} as ${caller}: ${status} (expected 403 without an API key)`,
            );
          continue;
        }
        const ok =
          status < 500 &&
          (verdict === 'unauthenticated'
            ? status === 401
            : verdict === 'forbidden'
              ? status === 403
              : status !== 401 && status !== 403);
        if (!ok)
          failures.push(
            `${route.method} ${route.url} as ${caller}: ${status} (expected ${verdict}) ${res.body.slice(0, 120)}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });

  it('lets every signed-in caller sign out', async () => {
    for (const role of allRoles) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: await t.tokenFor(role),
      });
      expect(res.statusCode).toBe(204);
    }
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(401);
  });
});
