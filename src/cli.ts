import { parseArgs } from 'node:util';
import pino from 'pino';
import { systemActor } from './core/audit/audit.ts';
import { allRoles, type Role } from './core/auth/roles.ts';
import { AuthService } from './core/auth/service.ts';
import { type Config, ConfigError, loadConfig } from './core/config.ts';
import { backup, restore } from './core/db/backup.ts';
import { Events } from './core/events/outbox.ts';
import { demoAccounts, demoPassword } from './core/seed.ts';
import { modules } from './modules/index.ts';
import { promptpayCommand, promptpayUsage } from './modules/tax/cli.ts';
import { applyRetention } from './platform/devices/retention.ts';
import { seedCity } from './seed.ts';
import { openAndMigrate, startPlatform } from './server.ts';

const usage = `Mueang (เมือง) — open smart-city platform

Usage: mueang <command> [options]

  start                      run the platform (API, web app, database, MQTT broker)
  migrate                    apply database migrations
  seed                       load the Khon Kaen demo data (synthetic)
  create-user --email E --password P --role R [--name N] [--office CODE]
                             roles: ${allRoles.join(', ')}
  simulate [--devices N] [--interval 60s|5m] [--duration 10m] [--broken-rate 0.005] [--broker URL]
           [--register]      publish synthetic ChirpStack uplinks for the registered devices
                             (--register first creates N synthetic devices; needs DATABASE_URL)
  retention                  apply the device profiles' data retention now (it also runs hourly)
  backup <file>              write every row to a file (gzip JSON lines)
  restore <file>             load a backup into an empty database
  ${promptpayUsage}

Settings come from the environment or mueang.config.json; see docs/configuration.md.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(usage);
    return command ? 0 : 1;
  }
  if (command === 'promptpay') return promptpayCommand(rest);
  const config = loadConfig();
  switch (command) {
    case 'start':
      return start(config);
    case 'migrate': {
      const db = await openAndMigrate(config);
      await db.close();
      console.log('Migrations applied.');
      return 0;
    }
    case 'seed': {
      const db = await openAndMigrate(config);
      try {
        await seedCity(db, new Events(db, pino({ level: 'warn' })), modules, { sensors: true });
      } finally {
        await db.close();
      }
      console.log('Demo data loaded (synthetic Khon Kaen data).');
      return 0;
    }
    case 'retention': {
      const db = await openAndMigrate(config);
      try {
        const r = await applyRetention(db);
        console.log(
          `Retention applied: ${r.droppedPartitions.length} partitions dropped, ${r.deletedReadings} readings and ${r.deletedBuckets} rollup buckets deleted.`,
        );
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'create-user':
      return createUser(config, rest);
    case 'simulate':
      return simulate(config, rest);
    case 'backup':
    case 'restore': {
      const file = rest[0];
      if (!file) throw new ConfigError('file', `is required: mueang ${command} <file>`);
      const db = await openAndMigrate(config);
      try {
        const n = command === 'backup' ? await backup(db, file) : await restore(db, file);
        console.log(
          `${command === 'backup' ? 'Backed up' : 'Restored'} ${n} rows ${command === 'backup' ? 'to' : 'from'} ${file}`,
        );
      } finally {
        await db.close();
      }
      return 0;
    }
    default:
      console.error(`Unknown command: ${command}\n\n${usage}`);
      return 2;
  }
}

async function start(config: Config): Promise<number> {
  const platform = await startPlatform(config);
  const { url, broker } = platform;
  const lines = [
    '',
    '  เมือง · Mueang — smart-city platform for เทศบาลนครขอนแก่น (Khon Kaen)',
    '',
    `  Web app     ${url}/`,
    `  API docs    ${url}/api/docs`,
    `  Health      ${url}/readyz   Metrics ${url}/metrics`,
    `  MQTT        ${broker?.url ?? '(none)'}${broker?.embedded ? ' (embedded broker)' : ''}`,
    `  Database    ${config.embeddedDatabase ? `embedded PGlite + PostGIS in ${config.DATA_DIR}` : 'PostgreSQL (DATABASE_URL)'}`,
  ];
  for (const notice of platform.notices) lines.push(`  ⚠ ${notice}`);
  if (config.DEMO) {
    lines.push(
      '',
      `  ⚠ DEMO DATA IS ON: these accounts exist, password "${demoPassword}". Never run a real city with DEMO on.`,
      ...demoAccounts.map((a) => `     ${a.email.padEnd(24)} ${a.role}`),
    );
  }
  console.log(`${lines.join('\n')}\n`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    platform.app.log.info({ signal }, 'shutting down');
    await platform.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return -1;
}

async function simulate(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      devices: { type: 'string', default: '1000' },
      interval: { type: 'string', default: '60s' },
      duration: { type: 'string' },
      'broken-rate': { type: 'string', default: '0.005' },
      broker: { type: 'string' },
      register: { type: 'boolean', default: false },
    },
  });
  const sim = await import('./platform/ingestion/simulator.ts');
  const limit = Number(values.devices);
  if (!Number.isInteger(limit) || limit < 1) throw new ConfigError('--devices', 'must be a whole number ≥ 1');
  const intervalMs = sim.parseDuration(values.interval);
  if (!intervalMs) throw new ConfigError('--interval', 'must be a duration such as 60s or 5m');
  const durationMs = values.duration === undefined ? undefined : sim.parseDuration(values.duration);
  if (values.duration !== undefined && !durationMs)
    throw new ConfigError('--duration', 'must be a duration such as 10m or 1h');
  const brokenRate = Number(values['broken-rate']);
  if (!(brokenRate >= 0 && brokenRate <= 1))
    throw new ConfigError('--broken-rate', 'must be between 0 and 1');
  const brokerUrl = values.broker ?? config.MQTT_URL ?? `mqtt://127.0.0.1:${config.MQTT_PORT}`;
  if (!/^(mqtts?|wss?):\/\//.test(brokerUrl))
    throw new ConfigError('--broker', 'must be an mqtt:// or ws:// URL');
  // The embedded PGlite database belongs to the running platform and must not be opened twice: then
  // the simulator uses the demo network as `mueang seed` registers it.
  let devices: import('./platform/ingestion/simulator.ts').SimDevice[];
  if (config.embeddedDatabase) {
    if (values.register)
      throw new ConfigError(
        '--register',
        'needs DATABASE_URL: the embedded database belongs to the running platform',
      );
    devices = sim.demoNetwork().slice(0, limit);
  } else {
    const db = await openAndMigrate(config);
    try {
      if (values.register)
        console.log(`Registered ${await sim.registerSynthetic(db, limit, Math.random)} synthetic device(s).`);
      devices = await sim.simulatedDevices(db, limit);
    } finally {
      await db.close();
    }
  }
  if (!devices.length) {
    console.error(
      'No devices to simulate: register devices with a Cayenne LPP or byte-layout profile first.',
    );
    return 1;
  }
  const simulator = new sim.Simulator({
    brokerUrl,
    devices,
    intervalMs,
    durationMs,
    brokenRate,
    gateways: sim.simulatedGateways,
    statusEvery: 10,
  });
  console.log(
    `Simulating ${devices.length} device(s)${devices.length < limit ? ` (of ${limit} asked; no more exist)` : ''} every ${values.interval} on ${brokerUrl} (synthetic data).`,
  );
  process.on('SIGINT', () => void simulator.stop());
  process.on('SIGTERM', () => void simulator.stop());
  const stats = await simulator.run();
  console.log(
    `Sent ${stats.sent} uplinks, ${stats.broken} deliberately broken, and ${stats.status} status events.`,
  );
  return 0;
}

async function createUser(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      phone: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      office: { type: 'string' },
    },
  });
  if (!values.password || values.password.length < 10)
    throw new ConfigError('--password', 'is required, at least 10 characters');
  if (!values.role || !allRoles.includes(values.role as Role))
    throw new ConfigError('--role', `must be one of ${allRoles.join(', ')}`);
  const db = await openAndMigrate(config);
  try {
    const events = new Events(db, pino({ level: 'warn' }));
    let officeId: string | null = null;
    if (values.office) {
      const { OrgRepository } = await import('./core/org/repository.ts');
      const office = await new OrgRepository(db).officeByCode(values.office);
      if (!office) throw new ConfigError('--office', `"${values.office}" is not an office code`);
      officeId = office.id;
    }
    const user = await new AuthService(db, events, config).createAccount(
      {
        displayName: values.name ?? values.email ?? values.phone ?? 'user',
        email: values.email,
        phone: values.phone,
        password: values.password,
        role: values.role as Role,
        officeId,
      },
      { ...systemActor, label: 'cli' },
    );
    console.log(`Created ${user.role} ${user.email ?? user.phone} (${user.id})`);
  } finally {
    await db.close();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err) => {
    if (err instanceof ConfigError) console.error(err.message);
    else if (err?.name === 'PromptPayError' || err instanceof TypeError) console.error(err.message);
    else if (err?.code && typeof err.status === 'number') console.error(`${err.code}: ${err.message}`);
    else console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
