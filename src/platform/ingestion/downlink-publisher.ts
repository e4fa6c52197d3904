import type { FastifyBaseLogger } from 'fastify';
import mqtt, { type MqttClient } from 'mqtt';
import type { Db } from '../../core/db/index.ts';
import { DownlinkRepository } from '../devices/downlinks.ts';
import { downCommand, downTopic } from './downlink-events.ts';

export interface PublisherOptions {
  db: Db;
  log: FastifyBaseLogger;
  brokerUrl: string;
  embedded: boolean;
  clientId: string;
  /** How often the table is looked at for queued downlinks and expired ones. */
  everyMs?: number;
  /** Longest wait for the broker's PUBACK before the downlink is left queued for the next round. */
  publishTimeoutMs?: number;
  clock?: () => Date;
}

/**
 * Sends queued downlinks to ChirpStack and expires the ones never settled. The table is the outbox:
 * a downlink is published (QoS 1) while its row is locked, and marked sent in the same transaction
 * once the broker has acknowledged it, so after a crash every unsent one is sent on restart. A crash
 * between the PUBACK and the commit publishes it again with the same `id`, which ChirpStack refuses
 * as a duplicate queue item: the device gets it once.
 */
export class DownlinkPublisher {
  private client: MqttClient | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private readonly repo: DownlinkRepository;
  private readonly clock: () => Date;
  /** Downlinks published, since start. */
  published = 0;

  constructor(private readonly options: PublisherOptions) {
    this.repo = new DownlinkRepository(options.db);
    this.clock = options.clock ?? (() => new Date());
  }

  async start(): Promise<void> {
    this.client = await mqtt.connectAsync(this.options.brokerUrl, {
      clientId: this.options.clientId,
      protocolVersion: this.options.embedded ? 4 : 5,
      reconnectPeriod: 2000,
      connectTimeout: 5000,
    });
    this.client.on('error', (err) => this.options.log.warn({ err }, 'downlink MQTT client error'));
    this.timer = setInterval(() => {
      this.tick().catch((err) => this.options.log.error({ err }, 'downlink round failed'));
    }, this.options.everyMs ?? 1000);
    this.timer.unref();
  }

  /** Expires what is overdue, then sends every queued downlink it can; returns how many it sent. */
  tick(): Promise<number> {
    this.running ??= this.round().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async round(): Promise<number> {
    const expired = await this.repo.expire(this.clock());
    if (expired) this.options.log.info({ expired }, 'downlinks expired');
    let sent = 0;
    while (this.client?.connected) {
      const done = await this.options.db.transaction(async (tx) => {
        const next = await this.repo.claimNext(tx, this.clock());
        if (!next) return false;
        await this.publish(next.applicationId, next.devEui, JSON.stringify(downCommand(next)));
        await this.repo.markSent(tx, next.id, next.applicationId, this.clock());
        return true;
      });
      if (!done) break;
      sent++;
      this.published++;
    }
    return sent;
  }

  /** A QoS 1 publish that gives up after a while, so a stalled broker does not hold the row's lock. */
  private publish(applicationId: string, devEui: string, body: string): Promise<void> {
    const client = this.client;
    if (!client) return Promise.reject(new Error('the downlink publisher is stopped'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('no PUBACK for a downlink in time')),
        this.options.publishTimeoutMs ?? 5000,
      );
      client.publish(downTopic(applicationId, devEui), body, { qos: 1 }, (err) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      });
    });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => {});
    await this.client?.endAsync().catch(() => {});
    this.client = null;
  }
}
