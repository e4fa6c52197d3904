import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** `npm start` as a person runs it: the banner, the port fallback, readiness, and a clean stop. */
const root = join(import.meta.dirname, '..');
const blockers: Server[] = [];
afterAll(() => {
  for (const b of blockers) b.close();
});

/** Holds a port so the platform must move off it; if something else already holds it, that works too. */
function hold(port: number): Promise<void> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve());
    s.listen({ port, host: '0.0.0.0', exclusive: true }, () => {
      blockers.push(s);
      resolve();
    });
  });
}

function start(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  let output = '';
  // package.json's start script (`node <flags> bin/start.js start`), as `npm start` runs it.
  const script = (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }
  ).scripts.start;
  const [node, ...args] = script.split(/\s+/);
  expect(node).toBe('node');
  const child = spawn(process.execPath, args, {
    cwd: root,
    // A child process does not see VITEST, so the demo simulator is turned off by name.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'warn',
      DEMO_SIMULATOR: 'false',
      ...env,
    },
  });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor<T>(fn: () => T | undefined, ms: number): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('npm start', () => {
  it('moves off taken default ports, prints the banner with demo accounts, becomes ready and stops cleanly', async () => {
    await hold(3000);
    await hold(1883);
    const run = start({ DATA_DIR: mkdtempSync(join(tmpdir(), 'mueang-start-')) });
    try {
      const url = await waitFor(() => /Web app\s+(http:\/\/\S+?)\/\s/.exec(run.output())?.[1], 180_000);
      const out = run.output();
      // Said in the banner itself, not only in the log.
      expect(out).toMatch(/⚠ Port 3000 is in use, using \d+ instead/);
      expect(out).toMatch(/⚠ MQTT port 1883 is in use, using \d+ instead/);
      expect(out).toMatch(/API docs\s+http:\/\/\S+\/api\/docs/);
      expect(out).toMatch(/MQTT\s+mqtt:\/\/127\.0\.0\.1:\d+ \(embedded broker\)/);
      expect(out).toContain('DEMO DATA IS ON');
      for (const account of [
        'admin@demo.local',
        'executive@demo.local',
        'officer@demo.local',
        'citizen@demo.local',
      ])
        expect(out).toContain(account);
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 240_000);

  it('refuses an explicitly set port that is taken, naming it', async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '0.0.0.0', () => r()));
    const port = (s.address() as { port: number }).port;
    const run = start({ DATA_DIR: mkdtempSync(join(tmpdir(), 'mueang-start-')), PORT: String(port) });
    try {
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(`PORT=${port} is already in use`);
    } finally {
      s.close();
      run.child.kill('SIGKILL');
    }
  }, 60_000);
});
