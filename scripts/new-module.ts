import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dimensions } from '../src/core/modules.ts';

const templates = join(import.meta.dirname, 'module-template');

const files: [string, string][] = [
  ['module.ts.tmpl', 'module.ts'],
  ['schemas.ts.tmpl', 'schemas.ts'],
  ['routes.ts.tmpl', 'routes.ts'],
  ['service.ts.tmpl', 'service.ts'],
  ['repository.ts.tmpl', 'repository.ts'],
  ['seed.ts.tmpl', 'seed.ts'],
  ['migration.sql.tmpl', 'migrations/0001_init.sql'],
  ['th.json.tmpl', 'locales/th.json'],
  ['en.json.tmpl', 'locales/en.json'],
  ['module.test.ts.tmpl', '__id__.test.ts'],
];

const camel = (id: string) => id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Stamps out src/modules/<id>/ with the standard files and adds it to the module list. Returns the folder. */
export function newModule(id: string, dimension: string, root: string): string {
  if (!/^[a-z][a-z0-9-]{1,30}$/.test(id))
    throw new Error(`Module id "${id}" must be lower-case kebab, 2–31 characters`);
  if (!(dimensions as readonly string[]).includes(dimension))
    throw new Error(`--dimension must be one of ${dimensions.join(', ')}`);
  const dir = join(root, 'src/modules', id);
  if (existsSync(dir)) throw new Error(`${dir} exists already`);
  const name = camel(id);
  const vars: Record<string, string> = {
    __id__: id,
    __name__: name,
    __Name__: name[0].toUpperCase() + name.slice(1),
    __table__: id.replace(/-/g, '_'),
    __dimension__: dimension,
  };
  const fill = (text: string) => text.replace(/__(id|name|Name|table|dimension)__/g, (m) => vars[m]);
  for (const [from, to] of files) {
    const target = join(dir, fill(to));
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, fill(readFileSync(join(templates, from), 'utf8')));
  }
  const indexFile = join(root, 'src/modules/index.ts');
  let index = readFileSync(indexFile, 'utf8');
  const importLine = `import { ${name}Module } from './${id}/module.ts';\n`;
  index = index.replace(/(import type \{ ModuleManifest \}[^\n]*\n)/, `$1${importLine}`);
  index = index.replace(/export const modules: ModuleManifest\[\] = \[([^\]]*)\];/, (_m, list: string) => {
    const items = list
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return `export const modules: ModuleManifest[] = [${[...items, `${name}Module`].join(', ')}];`;
  });
  writeFileSync(indexFile, index);
  return dir;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      dimension: { type: 'string', default: 'governance' },
      root: { type: 'string', default: join(import.meta.dirname, '..') },
    },
  });
  try {
    const dir = newModule(positionals[0] ?? '', values.dimension!, values.root!);
    console.log(`Created ${dir}. Next: write its migration, routes and pages; run npm test.`);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
