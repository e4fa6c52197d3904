import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createServer } from 'vite';
import { loadConfig } from './core/config.ts';
import { choosePort } from './core/net.ts';

/**
 * `npm run dev`: the platform restarts on server changes (tsx watch) on an internal port, and Vite
 * serves the web app with hot reload on PORT, proxying the API to it.
 */
const config = loadConfig();
const webPort = await choosePort(config.PORT, config.HOST, config.portExplicit, 'PORT');
const apiPort = await choosePort(webPort + 1, '127.0.0.1', false, 'PORT');
const root = join(import.meta.dirname, '..');
const api = spawn(
  join(root, 'node_modules/.bin/tsx'),
  ['watch', '--clear-screen=false', 'src/cli.ts', 'start'],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PORT: String(apiPort), PUBLIC_URL: `http://localhost:${webPort}` },
  },
);
process.env.MUEANG_API = `http://127.0.0.1:${apiPort}`;
const vite = await createServer({
  configFile: join(root, 'web/vite.config.ts'),
  server: { port: webPort, host: config.HOST, strictPort: true },
});
await vite.listen();
vite.printUrls();
const stop = async () => {
  api.kill('SIGTERM');
  await vite.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
