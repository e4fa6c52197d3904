import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import jsQRModule from 'jsqr';
import mqtt from 'mqtt';
import pino from 'pino';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { startBroker } from './core/mqtt/broker.ts';

const jsQR = jsQRModule as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

const root = join(import.meta.dirname, '..');
const tsx = join(root, 'node_modules/.bin/tsx');

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(tsx, ['src/cli.ts', ...args], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'mueang-cli-')),
      ...env,
    },
    encoding: 'utf8',
    // Generous: each call starts tsx and often PGlite with PostGIS, which takes a minute and more on a
    // loaded 2-core machine; a quiet one needs a few seconds.
    timeout: 180_000,
  });
}

describe('mueang CLI', () => {
  it('prints its usage', () => {
    const r = cli(['--help']);
    expect(r.status).toBe(0);
    for (const command of ['start', 'migrate', 'seed', 'create-user', 'simulate', 'backup', 'restore'])
      expect(r.stdout).toContain(command);
  });

  it('stops on a bad setting with a message naming the variable', () => {
    const r = cli(['start'], { PORT: 'eighty' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('PORT');
  });

  it('refuses an unknown command and a bad role', () => {
    expect(cli(['fly']).status).toBe(2);
    const r = cli([
      'create-user',
      '--email',
      'x@example.org',
      '--password',
      'a long password',
      '--role',
      'mayor',
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--role');
  });

  it('seeds, creates a user, backs up, and restores every row into an empty database', () => {
    const a = mkdtempSync(join(tmpdir(), 'mueang-cli-a-'));
    const b = mkdtempSync(join(tmpdir(), 'mueang-cli-b-'));
    const file = join(a, 'backup.jsonl.gz');
    const again = join(b, 'again.jsonl.gz');
    expect(cli(['seed'], { DATA_DIR: a }).status).toBe(0);
    const created = cli(
      [
        'create-user',
        '--email',
        'clerk@example.org',
        '--password',
        'a long password',
        '--role',
        'officer',
        '--office',
        'finance',
      ],
      { DATA_DIR: a },
    );
    expect(created.stderr).toBe('');
    expect(created.stdout).toContain('Created officer clerk@example.org');
    expect(cli(['backup', file], { DATA_DIR: a }).stdout).toMatch(/Backed up \d+ rows/);
    const restored = cli(['restore', file], { DATA_DIR: b, DEMO: 'false' });
    expect(restored.stderr).toBe('');
    expect(restored.stdout).toMatch(/Restored \d+ rows/);
    expect(cli(['backup', again], { DATA_DIR: b, DEMO: 'false' }).status).toBe(0);
    const rows = (f: string) => gunzipSync(readFileSync(f)).toString('utf8').split('\n').slice(1).join('\n');
    expect(rows(again)).toBe(rows(file));
    expect(rows(file)).toContain('clerk@example.org');
    // A second restore into a database with rows is refused.
    expect(cli(['restore', file], { DATA_DIR: b, DEMO: 'false' }).stderr).toContain('empty database');
  }, 420_000);

  it('prints a PromptPay payload and writes its QR', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mueang-pp-'));
    const r = cli([
      'promptpay',
      '--biller',
      '0000000000001',
      '--ref1',
      '6300002',
      '--ref2',
      '121214564541',
      '--amount',
      '100.35',
      '--png',
      join(dir, 'qr.png'),
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/63043ACE$/);
    // The image holds the very payload printed.
    const png = PNG.sync.read(readFileSync(join(dir, 'qr.png')));
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(r.stdout.trim());
    const bad = cli(['promptpay', '--biller', '12', '--ref1', 'x']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('biller ID');
  });

  it('simulate refuses bad options, naming them', () => {
    for (const [flag, value] of [
      ['--devices', '0'],
      ['--devices', 'many'],
      ['--interval', 'often'],
      ['--duration', '-1m'],
      ['--broken-rate', '2'],
      ['--broker', 'http://example.org'],
    ]) {
      const r = cli(['simulate', flag, value]);
      expect(r.status, `${flag} ${value}`).toBe(1);
      expect(r.stderr).toContain(flag);
    }
    const register = cli(['simulate', '--register']);
    expect(register.status).toBe(1);
    expect(register.stderr).toContain('--register needs DATABASE_URL');
  }, 240_000);

  it('simulate publishes uplinks of the demo network to the broker and stops after --duration', async () => {
    const broker = await startBroker({
      port: 0,
      portExplicit: false,
      host: '127.0.0.1',
      log: pino({ level: 'silent' }),
    });
    const sub = await mqtt.connectAsync(broker.url);
    const topics: string[] = [];
    sub.on('message', (topic) => topics.push(topic));
    await sub.subscribeAsync('application/+/device/+/event/up', { qos: 1 });
    try {
      const child = spawn(
        tsx,
        [
          'src/cli.ts',
          'simulate',
          '--devices',
          '3',
          '--interval',
          '300ms',
          '--duration',
          '1s',
          '--broker',
          broker.url,
        ],
        {
          cwd: root,
          env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            DATA_DIR: mkdtempSync(join(tmpdir(), 'mueang-cli-')),
          },
        },
      );
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      const code = await new Promise((resolve) => child.on('close', resolve));
      expect(code).toBe(0);
      expect(out).toContain('Simulating 3 device(s)');
      const sent = Number(/Sent (\d+) uplinks/.exec(out)?.[1]);
      expect(sent).toBeGreaterThanOrEqual(3);
      expect(topics).toHaveLength(sent);
      expect(new Set(topics).size).toBe(3);
      for (const t of topics)
        expect(t).toMatch(/^application\/mueang-simulator\/device\/a84041000000[cd]00\d\/event\/up$/);
    } finally {
      await sub.endAsync();
      await broker.close();
    }
  }, 60_000);
});
