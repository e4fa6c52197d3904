import { createServer } from 'node:net';
import mqtt from 'mqtt';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { startBroker } from './broker.ts';

const log = pino({ level: 'silent' });

async function roundTrip(url: string, protocolVersion: 4 | 5) {
  const client = await mqtt.connectAsync(url, { protocolVersion });
  const topic = `mueang/test/${Math.random().toString(16).slice(2)}`;
  const got = new Promise<string>((resolve) =>
    client.on('message', (_t, payload) => resolve(payload.toString())),
  );
  await client.subscribeAsync(topic);
  await client.publishAsync(topic, 'สวัสดี');
  const message = await got;
  await client.endAsync();
  return message;
}

describe('MQTT broker', () => {
  it('runs embedded and carries messages', async () => {
    const broker = await startBroker({ port: 0, portExplicit: false, host: '127.0.0.1', log });
    try {
      expect(broker.embedded).toBe(true);
      expect(broker.ready()).toBe(true);
      expect(await roundTrip(broker.url, 4)).toBe('สวัสดี');
    } finally {
      await broker.close();
    }
  });

  it('moves to the next port when the default one is taken, and refuses a taken explicit one', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const broker = await startBroker({ port: taken, portExplicit: false, host: '127.0.0.1', log });
      expect(broker.url).not.toContain(`:${taken}`);
      await broker.close();
      await expect(startBroker({ port: taken, portExplicit: true, host: '127.0.0.1', log })).rejects.toThrow(
        /MQTT_PORT/,
      );
    } finally {
      blocker.close();
    }
  });

  it.runIf(process.env.MQTT_URL)('connects to an external broker (MQTT_URL) with MQTT 5', async () => {
    const broker = await startBroker({
      mqttUrl: process.env.MQTT_URL,
      port: 0,
      portExplicit: false,
      host: '127.0.0.1',
      log,
    });
    try {
      expect(broker.embedded).toBe(false);
      expect(broker.ready()).toBe(true);
      expect(await roundTrip(process.env.MQTT_URL!, 5)).toBe('สวัสดี');
    } finally {
      await broker.close();
    }
  });
});
