// Builds the web app at install time so that `npm start` serves it. Skipped when the web sources are
// absent (a production install of the server only) or when MUEANG_SKIP_WEB_BUILD=1.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const vite = join(root, 'node_modules/.bin/vite');
if (
  process.env.MUEANG_SKIP_WEB_BUILD === '1' ||
  !existsSync(join(root, 'web/vite.config.ts')) ||
  !existsSync(vite)
) {
  console.log('mueang: web build skipped');
  process.exit(0);
}
console.log('mueang: building the web app (vite build)…');
const r = spawnSync(vite, ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
