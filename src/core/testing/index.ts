import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import pino from 'pino';
import { inject } from 'vitest';
import { modules as registered } from '../../modules/index.ts';
import { seedCity } from '../../seed.ts';
import { migrationSources } from '../../server.ts';
import type { Role } from '../auth/roles.ts';
import { type Config, loadConfig } from '../config.ts';
import { type Db, openDatabase } from '../db/index.ts';
import { migrate } from '../db/migrate.ts';
import { Events } from '../events/outbox.ts';
import { buildApp } from '../http/app.ts';
import type { ModuleManifest } from '../modules.ts';
import { demoAccounts, demoPassword } from '../seed.ts';
import { scratchDatabase } from './scratch.ts';
import { loadTemplate } from './template.ts';

export { scratchDatabase };

export interface TestDb {
  db: Db;
  /** Closes the database and, on PostgreSQL, drops the test's own database. */
  dispose(): Promise<void>;
}

/**
 * A fresh, migrated database: a copy of the PGlite template, or, when DATABASE_URL is set, a new
 * database on that server (created from it, with PostGIS, dropped afterwards) so files never share state.
 */
export async function freshDatabase(modules: ModuleManifest[] = registered): Promise<TestDb> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await openDatabase({ loadDataDir: loadTemplate(inject('pgliteTemplate')) });
    await migrate(db, migrationSources(modules));
    return { db, dispose: () => db.close() };
  }
  const scratch = await scratchDatabase(url);
  const db = await openDatabase({ databaseUrl: scratch.url });
  await migrate(db, migrationSources(modules));
  return {
    db,
    async dispose() {
      await db.close();
      await scratch.drop();
    },
  };
}

/** The bank-webhook secret that test apps are configured with. */
export const testWebhookSecret = 'test-webhook-secret-0123456789abcdef';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  events: Events;
  config: Config;
  close(): Promise<void>;
  /** Signs in a demo account; returns headers for `app.inject` (cookie and CSRF token). */
  signIn(role: Role): Promise<Record<string, string>>;
  /** Signs in any account by email (password `mueang-demo` unless given). */
  signInAs(email: string, password?: string): Promise<Record<string, string>>;
  /** A bearer token for a demo account. */
  tokenFor(role: Role): Promise<Record<string, string>>;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies in tests are arbitrary JSON
  json(options: InjectOptions): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
}

export async function testApp(
  options: {
    seed?: boolean;
    env?: Record<string, string>;
    modules?: ModuleManifest[];
    /** pino options for the app's logger; silent when not given. */
    logger?: object;
  } = {},
): Promise<TestApp> {
  const modules = options.modules ?? registered;
  const { db, dispose } = await freshDatabase(modules);
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    DEMO: 'false',
    RATE_LIMIT_ANON: '100000',
    TAX_WEBHOOK_SECRET: testWebhookSecret,
    // Uploads of this test app go to a folder of its own, never the checkout's ./data.
    DATA_DIR: mkdtempSync(join(tmpdir(), 'mueang-test-data-')),
    ...options.env,
  });
  const events = new Events(db, pino({ level: 'silent' }));
  if (options.seed !== false) await seedCity(db, events, modules);
  const app = await buildApp({ config, db, events, modules, logger: options.logger ?? false });
  await app.ready();
  const headersFor = new Map<Role, Record<string, string>>();
  const tokens = new Map<Role, Record<string, string>>();
  const email = (role: Role) => demoAccounts.find((a) => a.role === role)!.email;

  const t: TestApp = {
    app,
    db,
    events,
    config,
    async close() {
      await app.close();
      await events.stop();
      await dispose();
    },
    async signIn(role) {
      const cached = headersFor.get(role);
      if (cached) return cached;
      const headers = await t.signInAs(email(role));
      headersFor.set(role, headers);
      return headers;
    },
    async signInAs(address, password = demoPassword) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: address, password },
      });
      if (res.statusCode !== 200)
        throw new Error(`sign-in as ${address} failed: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'mueang_session')!;
      return { cookie: `mueang_session=${cookie.value}`, 'x-csrf-token': res.json().csrfToken };
    },
    async tokenFor(role) {
      const cached = tokens.get(role);
      if (cached) return cached;
      const res = await app.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: await t.signIn(role),
        payload: { name: 'test' },
      });
      if (res.statusCode !== 201) throw new Error(`token for ${role} failed: ${res.body}`);
      const headers = { authorization: `Bearer ${res.json().token}` };
      tokens.set(role, headers);
      return headers;
    },
    async json(opts) {
      const res = await app.inject(opts);
      let body: unknown = res.body;
      try {
        body = res.json();
      } catch {}
      return { status: res.statusCode, body, headers: res.headers };
    },
  };
  return t;
}

export { demoPassword };
