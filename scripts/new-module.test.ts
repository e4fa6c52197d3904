import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModuleManifest } from '../src/core/modules.ts';
import { type TestApp, testApp } from '../src/core/testing/index.ts';
import { newModule } from './new-module.ts';

const repo = join(import.meta.dirname, '..');
let t: TestApp | undefined;
afterAll(() => t?.close());

describe('npm run new-module', () => {
  it('stamps out a working module: migration, routes, seed, KPI, locales and a test', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mueang-newmod-'));
    mkdirSync(join(root, 'src/modules'), { recursive: true });
    symlinkSync(join(repo, 'src/core'), join(root, 'src/core'));
    symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
    cpSync(join(repo, 'src/modules/index.ts'), join(root, 'src/modules/index.ts'));

    const dir = newModule('street-trees', 'environment', root);
    for (const f of [
      'module.ts',
      'schemas.ts',
      'routes.ts',
      'service.ts',
      'repository.ts',
      'seed.ts',
      'migrations/0001_init.sql',
      'locales/th.json',
      'locales/en.json',
      'street-trees.test.ts',
    ]) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    const index = readFileSync(join(root, 'src/modules/index.ts'), 'utf8');
    expect(index).toContain("import { streetTreesModule } from './street-trees/module.ts';");
    expect(index).toMatch(/modules: ModuleManifest\[\] = \[.*streetTreesModule\]/);
    expect(() => newModule('street-trees', 'environment', root)).toThrow(/exists/);
    expect(() => newModule('Bad_Id', 'environment', root)).toThrow(/kebab/);
    expect(() => newModule('ok-id', 'space', root)).toThrow(/dimension/);

    const { streetTreesModule } = (await import(join(dir, 'module.ts'))) as {
      streetTreesModule: ModuleManifest;
    };
    expect(streetTreesModule).toMatchObject({ id: 'street-trees', dimension: 'environment' });
    t = await testApp({ modules: [streetTreesModule] });
    const items = await t.json({ method: 'GET', url: '/api/street-trees/items' });
    expect(items.status).toBe(200);
    expect(items.body[0].nameEn).toContain('synthetic');
    const meta = await t.json({ method: 'GET', url: '/api/meta' });
    const env = meta.body.dimensions.find((d: { id: string }) => d.id === 'environment');
    expect(env.modules.map((m: { id: string }) => m.id)).toEqual(['street-trees']);
  });
});
