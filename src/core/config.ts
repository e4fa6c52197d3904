import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';

const Port = Type.Integer({ minimum: 0, maximum: 65535 });

export const ConfigSchema = Type.Object(
  {
    PORT: Type.Optional(Port),
    HOST: Type.String({ minLength: 1 }),
    DATA_DIR: Type.String({ minLength: 1 }),
    DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
    DATABASE_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 1000 }),
    PGLITE_SHARED_BUFFERS: Type.String({ pattern: '^[1-9][0-9]{0,5}(kB|MB|GB)$' }),
    PGLITE_HEAP_GROWING_PERCENT: Type.Integer({ minimum: 0, maximum: 1000 }),
    MQTT_URL: Type.Optional(Type.String({ pattern: '^(mqtts?|wss?)://' })),
    MQTT_PORT: Type.Optional(Port),
    MQTT_SHARE_GROUP: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }),
    INGEST_BATCHES_IN_FLIGHT: Type.Integer({ minimum: 1, maximum: 16 }),
    INGEST_MQTT_CONNECTIONS: Type.Integer({ minimum: 1, maximum: 16 }),
    PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
    DEMO: Type.Optional(Type.Boolean()),
    DEMO_SIMULATOR: Type.Optional(Type.Boolean()),
    DEMO_SIMULATOR_INTERVAL: Type.String({ pattern: '^[0-9]{1,6}(ms|s|m)$' }),
    ROLLUP_FOLD_INTERVAL: Type.String({ pattern: '^[0-9]{1,6}(ms|s|m)$' }),
    LOG_LEVEL: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    ),
    CORS_ORIGINS: Type.String(),
    BODY_LIMIT: Type.Integer({ minimum: 1024, maximum: 1073741824 }),
    RATE_LIMIT_ANON: Type.Integer({ minimum: 1 }),
    MAP_TILE_URL: Type.Optional(Type.String()),
    SESSION_TTL_HOURS: Type.Integer({ minimum: 1, maximum: 8760 }),
    NGSI_LD_CONTEXT_FETCH: Type.Union(['off', 'public', 'any'].map((l) => Type.Literal(l))),
    NGSI_LD_NOTIFY_ALLOW: Type.String({
      pattern: '^(any|public|[A-Za-z0-9*.:\\[\\]-]+(,[A-Za-z0-9*.:\\[\\]-]+)*)$',
      maxLength: 4000,
    }),
    NGSI_LD_NOTIFY_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 256 }),
    TAX_BILLER_ID: Type.String({ pattern: '^[0-9]{13,15}$' }),
    TAX_WEBHOOK_SECRET: Type.Optional(Type.String({ minLength: 32 })),
    // The municipality as its tax bills and receipts name it.
    MUNICIPALITY_NAME_TH: Type.String({ minLength: 1, maxLength: 200 }),
    MUNICIPALITY_NAME_EN: Type.String({ minLength: 1, maxLength: 200 }),
    MUNICIPALITY_ADDRESS_TH: Type.String({ minLength: 1, maxLength: 500 }),
    MUNICIPALITY_ADDRESS_EN: Type.String({ minLength: 1, maxLength: 500 }),
    MUNICIPALITY_TAX_ID: Type.Optional(Type.String({ pattern: '^[0-9]{13}$' })),
    MUNICIPALITY_PHONE: Type.Optional(Type.String({ pattern: '^\\+?[0-9][0-9 ,-]{2,60}$' })),
    SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
    MAIL_FROM: Type.String({ minLength: 3, maxLength: 300 }),
    ALERT_ESCALATE_MINUTES: Type.String({
      pattern:
        '^(extreme|severe|moderate|minor|unknown):[0-9]{1,5}(,(extreme|severe|moderate|minor|unknown):[0-9]{1,5})*$',
    }),
    ALERT_WEBHOOK_ALLOW_PRIVATE: Type.Boolean(),
    GRID_EMISSION_FACTOR: Type.Number({ exclusiveMinimum: 0, maximum: 5 }),
    GRID_EMISSION_FACTOR_YEAR: Type.Integer({ minimum: 1990, maximum: 2100 }),
    GRID_EMISSION_FACTOR_SOURCE: Type.String({ minLength: 1, maxLength: 500 }),
    // Web push (VAPID, RFC 8292): the P-256 key pair as base64url (65-byte public point, 32-byte secret).
    VAPID_PUBLIC_KEY: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{87}$' })),
    VAPID_PRIVATE_KEY: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' })),
    VAPID_SUBJECT: Type.Optional(
      Type.String({ pattern: '^(mailto:[^\\s]+@[^\\s]+|https://[^\\s]+)$', maxLength: 300 }),
    ),
    PUSH_ALLOW_LOOPBACK: Type.Boolean(),
  },
  { additionalProperties: false },
);

type Raw = Static<typeof ConfigSchema>;

/** The validated settings, with derived values filled in once so business code never branches on env. */
export interface Config extends Omit<Raw, 'DEMO' | 'DEMO_SIMULATOR'> {
  PORT: number;
  portExplicit: boolean;
  MQTT_PORT: number;
  mqttPortExplicit: boolean;
  DEMO: boolean;
  DEMO_SIMULATOR: boolean;
  /** DEMO_SIMULATOR_INTERVAL in milliseconds. */
  demoSimulatorMs: number;
  /** ROLLUP_FOLD_INTERVAL in milliseconds. */
  rollupFoldMs: number;
  embeddedDatabase: boolean;
  embeddedBroker: boolean;
  secureCookies: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
  }
}

const defaults = {
  HOST: '0.0.0.0',
  DATA_DIR: './data',
  // PostgreSQL's 128 MB default costs ~120 MB of resident memory in PGlite; the embedded city fits in less.
  PGLITE_SHARED_BUFFERS: '32MB',
  // With PGlite, V8 collects the JS heap's garbage at 1.3× the live heap instead of up to 4× (docs/benchmarks.md, issue 7).
  PGLITE_HEAP_GROWING_PERCENT: 30,
  // Connections to PostgreSQL; requests beyond it wait in Node for a free one.
  DATABASE_POOL_SIZE: 10,
  LOG_LEVEL: 'info',
  // The MQTT 5 shared-subscription group of the ingest workers: processes in one group share the uplinks.
  MQTT_SHARE_GROUP: 'mueang',
  // Ingest batches written at once on PostgreSQL, each on its own connection (PGlite: always one).
  INGEST_BATCHES_IN_FLIGHT: 2,
  // MQTT connections of the ingest worker in its share group (external broker): each has its own queue
  // there (a stock Mosquitto drops beyond ~1,000 a session), so 4 hold about 4,000 unacknowledged messages.
  INGEST_MQTT_CONNECTIONS: 4,
  CORS_ORIGINS: '',
  BODY_LIMIT: 1048576,
  RATE_LIMIT_ANON: 300,
  SESSION_TTL_HOURS: 24 * 14,
  // Remote @context URLs are fetched from public addresses only: the URL is the caller's choice.
  NGSI_LD_CONTEXT_FETCH: 'public',
  // Subscription endpoints are staff input; `any` keeps what the broker always did (any address).
  NGSI_LD_NOTIFY_ALLOW: 'any',
  // NGSI-LD notifications delivered at once (each subscription's in order).
  NGSI_LD_NOTIFY_CONCURRENCY: 8,
  // A placeholder biller ID (the municipality's tax ID plus suffix comes from its bank).
  TAX_BILLER_ID: '099400000000000',
  // Khon Kaen City Municipality, the reference city. Its tax ID and phone have no default: a made-up
  // number would be printed on real bills.
  MUNICIPALITY_NAME_TH: 'เทศบาลนครขอนแก่น',
  MUNICIPALITY_NAME_EN: 'Khon Kaen City Municipality',
  MUNICIPALITY_ADDRESS_TH: 'เลขที่ 1 ถนนประชาสโมสร ตำบลในเมือง อำเภอเมืองขอนแก่น จังหวัดขอนแก่น 40000',
  MUNICIPALITY_ADDRESS_EN: '1 Pracha Samosorn Road, Nai Mueang, Mueang Khon Kaen, Khon Kaen 40000',
  MAIL_FROM: 'Mueang <no-reply@localhost>',
  // Minutes an alert may stay raised (unacknowledged) before its office's managers are called in.
  ALERT_ESCALATE_MINUTES: 'extreme:5,severe:15,moderate:60,minor:240,unknown:60',
  // Webhook URLs are staff input: by default they may only reach public addresses.
  ALERT_WEBHOOK_ALLOW_PRIVATE: false,
  // kgCO2e per kWh of Thai grid electricity: TGO's Scope 2 factor in force from 1 January 2026
  // (docs/configuration.md cites it).
  GRID_EMISSION_FACTOR: 0.475,
  GRID_EMISSION_FACTOR_YEAR: 2026,
  GRID_EMISSION_FACTOR_SOURCE:
    'Thailand Greenhouse Gas Management Organization (TGO), electricity emission factor for Scope 2, 0.4750 kgCO2e/kWh, in force from 1 January 2026',
  DEMO_SIMULATOR_INTERVAL: '30s',
  // How often the hour and day rollups are folded from the 5-minute ones (reads fold what is pending).
  ROLLUP_FOLD_INTERVAL: '60s',
  // Push endpoints are the browser's (so the caller's) choice: only public https addresses by default.
  PUSH_ALLOW_LOOPBACK: false,
};

const names = Object.keys(ConfigSchema.properties);

const integerText = /^[+-]?\d+$/;
const numberText = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Refuses what TypeBox's Value.Convert would quietly bend into a number: it truncates "1.5" (and a
 * file's 1.5) to 1 for a whole-number setting, reads "true" as 1, "0x1e" as 30. A number setting takes
 * decimal text (or a JSON number) and a whole-number setting only whole ones.
 */
function checkNumbers(merged: Record<string, unknown>): void {
  for (const name of names) {
    const kind = (ConfigSchema.properties[name as keyof typeof ConfigSchema.properties] as { type?: unknown })
      .type;
    if (kind !== 'integer' && kind !== 'number') continue;
    const v = merged[name];
    if (v === undefined) continue;
    const whole = kind === 'integer';
    const ok =
      typeof v === 'string'
        ? (whole ? integerText : numberText).test(v.trim())
        : typeof v === 'number' && Number.isFinite(v) && (!whole || Number.isInteger(v));
    if (!ok)
      throw new ConfigError(
        name,
        `must be ${whole ? 'a whole number' : 'a number'} (got ${JSON.stringify(v)})`,
      );
  }
}

/** Reads `mueang.config.json` (or MUEANG_CONFIG) then the environment, which wins. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const fromFile = readConfigFile(env, cwd);
  const merged: Record<string, unknown> = { ...defaults, ...fromFile };
  for (const name of names) {
    const v = env[name];
    if (v !== undefined && v !== '') merged[name] = v;
  }
  checkNumbers(merged);
  const converted = Value.Convert(ConfigSchema, merged) as Record<string, unknown>;
  for (const error of Value.Errors(ConfigSchema, converted)) {
    const variable = error.instancePath.split('/')[1] || errorProperty(error) || 'config';
    throw new ConfigError(variable, `${error.message} (got ${JSON.stringify(merged[variable])})`);
  }
  const raw = converted as Raw;
  const explicit = (name: string) => (env[name] ?? '') !== '' || fromFile[name] !== undefined;
  const embeddedDatabase = !raw.DATABASE_URL;
  const demo = raw.DEMO ?? embeddedDatabase;
  const demoSimulatorMs = millis(raw.DEMO_SIMULATOR_INTERVAL);
  const rollupFoldMs = millis(raw.ROLLUP_FOLD_INTERVAL);
  if (rollupFoldMs < 100)
    throw new ConfigError(
      'ROLLUP_FOLD_INTERVAL',
      `must be at least 100ms (got "${raw.ROLLUP_FOLD_INTERVAL}")`,
    );
  if (demoSimulatorMs < 100)
    throw new ConfigError(
      'DEMO_SIMULATOR_INTERVAL',
      `must be at least 100ms (got "${raw.DEMO_SIMULATOR_INTERVAL}")`,
    );
  if (Boolean(raw.VAPID_PUBLIC_KEY) !== Boolean(raw.VAPID_PRIVATE_KEY))
    throw new ConfigError(
      raw.VAPID_PUBLIC_KEY ? 'VAPID_PRIVATE_KEY' : 'VAPID_PUBLIC_KEY',
      'must be set together with the other VAPID key',
    );
  // Synthetic traffic goes only into the embedded broker unasked, and never into a test run.
  const underTest = Boolean(env.VITEST || process.env.VITEST);
  return {
    ...raw,
    DATA_DIR: resolve(cwd, raw.DATA_DIR),
    PORT: raw.PORT ?? 3000,
    portExplicit: explicit('PORT'),
    MQTT_PORT: raw.MQTT_PORT ?? 1883,
    mqttPortExplicit: explicit('MQTT_PORT'),
    DEMO: demo,
    DEMO_SIMULATOR: raw.DEMO_SIMULATOR ?? (demo && !raw.MQTT_URL && !underTest),
    demoSimulatorMs,
    rollupFoldMs,
    embeddedDatabase,
    embeddedBroker: !raw.MQTT_URL,
    secureCookies: raw.PUBLIC_URL?.startsWith('https://') ?? false,
  };
}

/** `30s`, `500ms`, `2m` in milliseconds (the pattern is checked by the schema). */
function millis(text: string): number {
  const m = /^(\d+)(ms|s|m)$/.exec(text)!;
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] as 'ms' | 's' | 'm'];
}

function errorProperty(error: { params?: unknown }): string | undefined {
  const params = error.params as { additionalProperties?: string[] } | undefined;
  return params?.additionalProperties?.[0];
}

function readConfigFile(env: NodeJS.ProcessEnv, cwd: string): Record<string, unknown> {
  const path = resolve(cwd, env.MUEANG_CONFIG ?? 'mueang.config.json');
  if (!existsSync(path)) {
    if (env.MUEANG_CONFIG)
      throw new ConfigError('MUEANG_CONFIG', `names a file that does not exist: ${path}`);
    return {};
  }
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed;
  } catch (e) {
    throw new ConfigError('MUEANG_CONFIG', `(${path}) is not a JSON object: ${(e as Error).message}`);
  }
}
