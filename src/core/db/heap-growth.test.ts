import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { limitHeapGrowth } from './index.ts';

const run = promisify(execFile);

/** The highest JS heap of a process that opens PGlite and then makes old-generation garbage. */
async function highestHeapMb(percent: 'default' | number): Promise<number> {
  const fixture = join(import.meta.dirname, 'heap-growth.fixture.ts');
  // npm start's flags that bear on the heap (package.json).
  const { stdout } = await run(
    process.execPath,
    ['--max-semi-space-size=4', '--import', 'tsx', fixture, String(percent)],
    { cwd: join(import.meta.dirname, '../../..'), timeout: 110_000 },
  );
  return (JSON.parse(stdout) as { highestMb: number }).highestMb;
}

describe('JS heap growth with PGlite', () => {
  // PGlite only, and the same in both suites: the PostgreSQL run (DATABASE_URL) skips its two children.
  it.skipIf(Boolean(process.env.DATABASE_URL))(
    'opening PGlite keeps the garbage between full collections near the live heap',
    async () => {
      const limited = await highestHeapMb('default');
      const v8Default = await highestHeapMb(0);
      // V8's own factor lets the heap reach several times the live set before collecting it; the default
      // percent (30) collects at 1.3×. The fixture's live heap is ~60 MB.
      expect(limited).toBeLessThan(v8Default * 0.7);
    },
    120_000,
  );

  it('refuses a percent that is not a whole number from 0 to 1000', () => {
    for (const bad of [
      -1,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      1001,
      1e12,
      '30; --expose-gc' as unknown as number,
    ])
      expect(() => limitHeapGrowth(bad)).toThrow(RangeError);
  });
});
