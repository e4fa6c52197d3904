/**
 * The set-up the tax module's API tests share: an app with a signed-in finance officer, and the
 * register imports run to the end (they answer 202 and work in the background).
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';

export interface TaxTestApp {
  /** The app, ready once the file's `beforeAll` hooks have run. */
  readonly t: TestApp;
  /** Headers of the demo finance officer (revenue@demo.local), who keeps the register. */
  readonly revenue: Record<string, string>;
  /** An import job's final status, waiting while it runs. */
  finished(id: string): Promise<ImportStatus>;
  /** Posts a CSV to `/api/tax/imports/{kind}` and answers the job's final status. */
  importFile(kind: string, csv: string): Promise<ImportStatus>;
}
// biome-ignore lint/suspicious/noExplicitAny: the tests read whatever the job reports.
export type ImportStatus = any;

/** Registers the hooks that open the app before the file's tests and close it after. */
export function taxTestApp(): TaxTestApp {
  let t: TestApp | undefined;
  let revenue: Record<string, string> = {};
  beforeAll(async () => {
    t = await testApp();
    revenue = await t.signInAs('revenue@demo.local');
  });
  afterAll(() => t?.close());
  const app = () => {
    if (!t) throw new Error('the tax test app is used before beforeAll ran');
    return t;
  };
  const finished = async (id: string) => {
    for (let i = 0; i < 100; i++) {
      const res = await app().json({ method: 'GET', url: `/api/tax/imports/${id}`, headers: revenue });
      if (res.body.status !== 'running') return res.body;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('import did not finish');
  };
  return {
    get t() {
      return app();
    },
    get revenue() {
      return revenue;
    },
    finished,
    async importFile(kind, csv) {
      const started = await app().json({
        method: 'POST',
        url: `/api/tax/imports/${kind}`,
        headers: { ...revenue, 'content-type': 'text/csv' },
        payload: csv,
      });
      expect(started.status).toBe(202);
      return finished(started.body.id);
    },
  };
}

/** An import's errors by line: line → message. */
export const byLine = (status: { errors: { line: number; error: string }[] }) =>
  Object.fromEntries(status.errors.map((e) => [e.line, e.error]));

/** A valid 13-digit ID (mod-11 check digit) from a 12-digit stem. */
export function thaiId(stem: string) {
  const sum = [...stem].reduce((s, d, i) => s + Number(d) * (13 - i), 0);
  return stem + String((11 - (sum % 11)) % 10);
}
