import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import type { FastifyBaseLogger } from 'fastify';
import mqtt, { type MqttClient } from 'mqtt';
import { choosePort } from '../net.ts';

export interface Broker {
  /** The URL other processes (devices, the simulator) use to reach the broker. */
  url: string;
  embedded: boolean;
  client: MqttClient;
  ready(): boolean;
  close(): Promise<void>;
}

export interface BrokerOptions {
  mqttUrl?: string;
  port: number;
  portExplicit: boolean;
  host: string;
  log: FastifyBaseLogger;
  onNotice?: (notice: string) => void;
}

/** Starts the embedded Aedes broker unless MQTT_URL names an external one; the platform's own client connects either way. */
export async function startBroker(options: BrokerOptions): Promise<Broker> {
  let server: Server | null = null;
  let aedes: Aedes | null = null;
  let url = options.mqttUrl;
  if (!url) {
    const port = await choosePort(options.port, options.host, options.portExplicit, 'MQTT_PORT');
    if (port !== options.port) {
      const notice = `MQTT port ${options.port} is in use, using ${port} instead (set MQTT_PORT to choose).`;
      if (options.onNotice) options.onNotice(notice);
      else options.log.warn(notice);
    }
    aedes = await Aedes.createBroker();
    const broker = aedes;
    server = createServer(broker.handle);
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, options.host, () => resolve());
    });
    const address = server.address();
    const actual = typeof address === 'object' && address ? address.port : port;
    url = `mqtt://${options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host}:${actual}`;
  }
  const client = mqtt.connect(url, {
    clientId: `mueang-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    // Aedes speaks MQTT 3.1.1; external brokers (Mosquitto 2) get MQTT 5 for shared subscriptions.
    protocolVersion: aedes ? 4 : 5,
    reconnectPeriod: 2000,
    connectTimeout: 5000,
  });
  client.on('error', (err) => options.log.warn({ err }, 'MQTT client error'));
  await new Promise<void>((resolve) => {
    // Start even if an external broker is down: readiness reports it and the client keeps retrying.
    const timer = setTimeout(resolve, 5000);
    client.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return {
    url,
    embedded: !!aedes,
    client,
    ready: () => client.connected,
    async close() {
      await client.endAsync(true).catch(() => {});
      if (aedes) await new Promise<void>((resolve) => aedes!.close(() => resolve()));
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    },
  };
}
