import { hostname } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Config } from './core/config.ts';
import { type Db, openDatabase } from './core/db/index.ts';
import { type MigrationSource, migrate } from './core/db/migrate.ts';
import { Events } from './core/events/outbox.ts';
import { buildApp } from './core/http/app.ts';
import { checkManifests, type ModuleManifest } from './core/modules.ts';
import { type Broker, startBroker } from './core/mqtt/broker.ts';
import { choosePort } from './core/net.ts';
import { modules as registered } from './modules/index.ts';
import { notificationDispatcher } from './platform/context/dispatch.ts';
import { contextService } from './platform/context/service.ts';
import { HealthSweep } from './platform/devices/health.ts';
import { RetentionJob } from './platform/devices/retention.ts';
import { RollupFoldJob } from './platform/devices/rollup-fold.ts';
import { type DemoSimulator, startDemoSimulator } from './platform/ingestion/demo-simulator.ts';
import { DownlinkPublisher } from './platform/ingestion/downlink-publisher.ts';
import { IngestWorker } from './platform/ingestion/worker.ts';
import { seedCity } from './seed.ts';

/** Core's migrations first, then the platform's, then each module's in the order of the module list. */
export function migrationSources(modules: ModuleManifest[] = registered): MigrationSource[] {
  return [
    { owner: 'core', dir: join(import.meta.dirname, 'core/migrations') },
    { owner: 'context', dir: join(import.meta.dirname, 'platform/context/migrations') },
    { owner: 'devices', dir: join(import.meta.dirname, 'platform/devices/migrations') },
    { owner: 'alerts', dir: join(import.meta.dirname, 'platform/alerts/migrations') },
    { owner: 'rules', dir: join(import.meta.dirname, 'platform/rules/migrations') },
    ...modules.filter((m) => m.migrationsDir).map((m) => ({ owner: m.id, dir: m.migrationsDir! })),
  ];
}

export async function openAndMigrate(
  config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'> &
    Partial<Pick<Config, 'PGLITE_SHARED_BUFFERS' | 'PGLITE_HEAP_GROWING_PERCENT' | 'DATABASE_POOL_SIZE'>>,
  modules = registered,
): Promise<Db> {
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    sharedBuffers: config.PGLITE_SHARED_BUFFERS,
    heapGrowingPercent: config.PGLITE_HEAP_GROWING_PERCENT,
    poolSize: config.DATABASE_POOL_SIZE,
  });
  try {
    await migrate(db, migrationSources(modules));
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}

export interface Platform {
  app: FastifyInstance;
  db: Db;
  broker: Broker | null;
  /** Takes sensor uplinks from the broker into readings and entities; null without a broker. */
  ingest: IngestWorker | null;
  /** SYNTHETIC uplinks for the demo devices (DEMO_SIMULATOR); null when off. */
  simulator: DemoSimulator | null;
  events: Events;
  url: string;
  /** What people should know about this start, e.g. a port that was taken and replaced. */
  notices: string[];
  close(): Promise<void>;
}

export interface StartOptions {
  modules?: ModuleManifest[];
  /** Start without an MQTT broker (tests that do not need one). */
  withoutBroker?: boolean;
  logger?: boolean | object;
}

/** The composition root: config → database → broker → events → HTTP → the explicit list of modules. */
export async function startPlatform(config: Config, options: StartOptions = {}): Promise<Platform> {
  const modules = options.modules ?? registered;
  checkManifests(modules);
  const log = pino({ level: config.LOG_LEVEL });
  const notices: string[] = [];
  const port = await choosePort(config.PORT, config.HOST, config.portExplicit, 'PORT');
  if (port !== config.PORT)
    notices.push(`Port ${config.PORT} is in use, using ${port} instead (set PORT to choose).`);

  const db = await openAndMigrate(config, modules);
  const events = new Events(db, log);
  const retention = new RetentionJob(db, log);
  const fold = new RollupFoldJob(db, log);
  let broker: Broker | null = null;
  let app: FastifyInstance | null = null;
  let ingest: IngestWorker | null = null;
  let health: HealthSweep | null = null;
  let downlinks: DownlinkPublisher | null = null;
  let simulator: DemoSimulator | null = null;
  try {
    if (config.DEMO) await seedCity(db, events, modules, { sensors: true });
    if (!options.withoutBroker) {
      broker = await startBroker({
        mqttUrl: config.MQTT_URL,
        port: config.MQTT_PORT,
        portExplicit: config.mqttPortExplicit,
        host: config.HOST,
        log,
        onNotice: (notice) => notices.push(notice),
      });
    }
    app = await buildApp({ config, db, events, broker, modules, logger: options.logger });
    await app.listen({ port, host: config.HOST });
    events.start();
    notificationDispatcher(db)?.start();
    app.alertDelivery.start();
    const rules = app.rules.evaluator;
    rules.start();
    retention.start();
    fold.start(config.rollupFoldMs);
    health = new HealthSweep(db, events, log);
    health.start();
    if (broker) {
      ingest = new IngestWorker({
        db,
        context: contextService(db),
        log,
        brokerUrl: broker.url,
        embedded: broker.embedded,
        shareGroup: config.MQTT_SHARE_GROUP,
        batchesInFlight: config.INGEST_BATCHES_IN_FLIGHT,
        connections: config.INGEST_MQTT_CONNECTIONS,
        // One persistent MQTT session per host and HTTP port, kept across restarts.
        clientId: `mueang-ingest-${hostname()}-${port}`.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64),
        // Queued: the worker goes on ingesting while the rules evaluate (it waits only when the queue is full).
        afterCommit: (rows) => rules.enqueue(rows),
      });
      await ingest.start();
      downlinks = new DownlinkPublisher({
        db,
        log,
        brokerUrl: broker.url,
        embedded: broker.embedded,
        clientId: `mueang-downlinks-${hostname()}-${port}`.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64),
      });
      await downlinks.start();
      if (config.DEMO_SIMULATOR)
        simulator = await startDemoSimulator({
          db,
          brokerUrl: broker.url,
          embedded: broker.embedded,
          intervalMs: config.demoSimulatorMs,
          log,
        });
    }
  } catch (e) {
    await simulator?.stop();
    await retention.stop();
    await fold.stop();
    await health?.stop();
    await downlinks?.stop();
    await ingest?.stop();
    await app?.close();
    await broker?.close();
    await db.close();
    throw e;
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const started = app;
  return {
    app: started,
    db,
    broker,
    ingest,
    simulator,
    events,
    notices,
    url: config.PUBLIC_URL ?? `http://${host}:${actualPort}`,
    async close() {
      // The simulator first, so the worker drains everything it published.
      await simulator?.stop();
      await retention.stop();
      await fold.stop();
      await health?.stop();
      await downlinks?.stop();
      await ingest?.stop();
      await started.close();
      await events.stop();
      await broker?.close();
      await db.close();
    },
  };
}
