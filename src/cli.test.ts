import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

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
    timeout: 60_000,
  });
}

describe('mueang CLI', () => {
  it('prints its usage', () => {
    const r = cli(['--help']);
    expect(r.status).toBe(0);
    for (const command of ['start', 'migrate', 'seed', 'create-user', 'backup', 'restore'])
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
});
