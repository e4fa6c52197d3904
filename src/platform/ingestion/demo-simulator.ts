import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../core/db/index.ts';
import { Simulator, type SimulatorStats, simulatedDevices, simulatedGateways } from './simulator.ts';

/** At most this many devices: a demo should look alive, not load the machine. */
const maxDevices = 50;

export interface DemoSimulator {
  readonly stats: SimulatorStats;
  readonly devices: number;
  stop(): Promise<void>;
}

/**
 * `npm start` with demo data: a small in-process simulator publishing SYNTHETIC ChirpStack traffic for
 * the registered demo devices into the platform's own broker, so charts and health move. It reads the
 * device list through the platform's database handle (PGlite has one connection) and talks to the
 * broker as any device network would, so its messages take the real ingest path.
 */
export async function startDemoSimulator(options: {
  db: Db;
  brokerUrl: string;
  embedded: boolean;
  intervalMs: number;
  log: FastifyBaseLogger;
}): Promise<DemoSimulator | null> {
  const devices = await simulatedDevices(options.db, maxDevices);
  if (!devices.length) {
    options.log.info('demo simulator: no device with an encodable profile; not started');
    return null;
  }
  const simulator = new Simulator({
    brokerUrl: options.brokerUrl,
    devices,
    intervalMs: options.intervalMs,
    // The odd broken payload, so the dead letters page has something to show.
    brokenRate: 0.02,
    gateways: simulatedGateways,
    statusEvery: 10,
    protocolVersion: options.embedded ? 4 : 5,
    appId: 'mueang-demo',
  });
  const running = simulator.run().catch((err) => {
    options.log.warn({ err }, 'demo simulator stopped on an error');
  });
  options.log.info({ devices: devices.length, intervalMs: options.intervalMs }, 'demo simulator started');
  return {
    stats: simulator.stats,
    devices: devices.length,
    async stop() {
      await simulator.stop();
      await running;
    },
  };
}
