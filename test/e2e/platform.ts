import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../src/core/config.ts';
import { webRoot } from '../../src/core/http/static.ts';
import { startPlatform } from '../../src/server.ts';

export const webhookSecret = 'e2e-webhook-secret-0123456789abcdefgh';

/** The whole platform, as `npm start` runs it with demo data, on free ports and a throw-away data folder. */
export default async function setup(project: TestProject) {
  if (!existsSync(join(webRoot, 'index.html')))
    throw new Error('The web app is not built: run "npm run build" first');
  const dataDir = mkdtempSync(join(tmpdir(), 'mueang-e2e-'));
  const platform = await startPlatform(
    loadConfig({
      DATA_DIR: dataDir,
      PORT: '0',
      MQTT_PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DEMO: 'true',
      DEMO_SIMULATOR: 'false',
      RATE_LIMIT_ANON: '100000',
      TAX_WEBHOOK_SECRET: webhookSecret,
      // The flood end-to-end test's webhook receiver listens on 127.0.0.1.
      ALERT_WEBHOOK_ALLOW_PRIVATE: 'true',
      // The web push test's push service listens on 127.0.0.1 (a browser's real one cannot be reached here).
      PUSH_ALLOW_LOOPBACK: 'true',
    }),
    { logger: false },
  );
  project.provide('baseUrl', platform.url);
  // Tests publish ChirpStack uplinks to the embedded broker, as a network server would.
  project.provide('mqttUrl', platform.broker?.url ?? '');
  return async () => {
    await platform.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    mqttUrl: string;
  }
}
