import type { FastifyBaseLogger } from 'fastify';
import mqtt, { type MqttClient } from 'mqtt';
import { Counter, Gauge } from 'prom-client';
import type { Db } from '../../core/db/index.ts';
import { registry } from '../../core/http/metrics.ts';
import type { ContextService } from '../context/service.ts';
import { type DownlinkEvent, DownlinkRepository } from '../devices/downlinks.ts';
import { LinkRepository } from '../devices/link-repository.ts';
import {
  DeviceRepository,
  type IngestTarget,
  type LinkState,
  type ReadingRow,
  readingKey,
} from '../devices/repository.ts';
import { deviceEntityId } from '../devices/service.ts';
import { gateMessages, holdAcks, sendAck } from './acks.ts';
import { type Measured, measure, parseUplink, type Uplink } from './chirpstack.ts';
import { ackTopic, parseDownlinkEvent, txackTopic } from './downlink-events.ts';
import {
  genericTopic,
  joinTopic,
  type LinkEvent,
  parseGeneric,
  parseLinkEvent,
  statusTopic,
  topicKind,
} from './link-events.ts';

export const uplinkTopic = 'application/+/device/+/event/up';
export const shareGroup = 'mueang';

const metric = (name: string, help: string) =>
  (registry.getSingleMetric(name) as Counter<'outcome'> | undefined) ??
  new Counter({ name, help, labelNames: ['outcome'] as const, registers: [registry] });
const messages = metric(
  'mueang_ingest_messages_total',
  'Uplink messages by outcome: stored, duplicate, dead-letter',
);
const readingsStored = metric('mueang_ingest_readings_total', 'Readings by outcome: stored, duplicate');
const pendingGauge =
  (registry.getSingleMetric('mueang_ingest_pending') as Gauge | undefined) ??
  new Gauge({
    name: 'mueang_ingest_pending',
    help: 'Messages received, not yet written',
    registers: [registry],
  });

export interface IngestOptions {
  db: Db;
  context: ContextService;
  log: FastifyBaseLogger;
  brokerUrl: string;
  /** The embedded Aedes broker speaks MQTT 3.1.1 without shared subscriptions. */
  embedded: boolean;
  /** Stable across restarts, so the broker keeps this worker's session (its unacknowledged messages). */
  clientId: string;
  /** The shared-subscription group (several platform processes share the load); `mueang` by default. */
  shareGroup?: string;
  /**
   * Only this ChirpStack application's topics (default: every application's). Keeps processes that
   * share one broker apart, such as test files running at the same time.
   */
  application?: string;
  /** At most this many messages per transaction. */
  batchSize?: number;
  /**
   * The worker stops reading from the broker while this many messages wait (10,000 by default). With
   * an MQTT 5 broker it is also the receive-maximum (at most 65,535): the broker sends no more than this
   * many unacknowledged messages, so a batch can take as many as have arrived. With Aedes (no
   * receive-maximum) only the gate bounds it.
   */
  maxPending?: number;
  /**
   * Batches written at once, each in its own transaction on its own connection (PostgreSQL; PGlite has
   * one connection, so there it is always 1): Node decodes the next batch while PostgreSQL writes one.
   * 2 by default. Acknowledgements and `afterCommit` still follow the order the batches were taken in.
   */
  batchesInFlight?: number;
  /**
   * MQTT connections in the share group (external broker; the embedded one has no shared
   * subscriptions, so 1). The broker queues a bounded number of messages per connection (Mosquitto:
   * `max_queued_messages`, 1,000 by default, beyond the in-flight ones) and drops the rest; each
   * connection has its own queue, so more connections hold more unacknowledged messages. 1 unless given
   * (`INGEST_MQTT_CONNECTIONS`, 4 by default, is what `npm start` passes).
   */
  connections?: number;
  /**
   * Called with the readings a batch newly stored, after its transaction commits (the rules engine).
   * Its errors are logged and swallowed: ingestion never fails because of a listener.
   */
  afterCommit?: (rows: ReadingRow[]) => Promise<unknown> | undefined;
}

export interface IngestStats {
  /** Messages taken from the broker, written or not. */
  received: number;
  /** Messages written (as readings, duplicates or dead letters). */
  messages: number;
  stored: number;
  duplicates: number;
  readings: number;
  duplicateReadings: number;
  deadLetters: number;
  batches: number;
  /** The most messages ever waiting at once: at most `maxPending`. */
  peakPending: number;
  /** Times the worker stopped reading because its queue was full. */
  pauses: number;
}

interface Incoming {
  topic: string;
  payload: Buffer;
  receivedAt: Date;
  messageId?: number;
  /** The PUBACK mqtt.js made for it, held until its batch is committed. */
  ack?: unknown;
  /** The connection it came on, and which life of it: an acknowledgement is only good on that one. */
  link: Conn;
  life: number;
}

/** One MQTT connection of the worker (it may open several in its share group). */
interface Conn {
  client: MqttClient;
  /** Counts the connection's drops: after one the broker sends unacknowledged messages again. */
  life: number;
  /** The last message it delivered: mqtt.js makes its PUBACK next. */
  last: Incoming | null;
  /** Lets mqtt.js read this connection's next packet; set while the queue is full. */
  resume: (() => void) | null;
}

interface DeadLetter {
  topic: string;
  payload: Buffer;
  reason: string;
  detail: string | null;
  devEui: string | null;
}

/** Strings from the wire are stored as JSON: no NUL, no lone surrogates. */
const clean = (s: string) =>
  s
    .replaceAll('\u0000', '\uFFFD')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/** Attributes an entity has of its own; a quantity of the same name is kept in readings only. */
const reserved = new Set([
  'id',
  'type',
  'name',
  'location',
  'dateObserved',
  'createdAt',
  'modifiedAt',
  'scope',
]);

/**
 * Takes ChirpStack uplinks from MQTT (QoS 1; a shared subscription where the broker has them), decodes
 * each with its device's profile, stores the readings in batches (duplicates dropped by the unique
 * key), updates each device's link state and NGSI-LD entity, and sends everything else to the dead
 * letters with the reason. A message never stops the worker.
 */
export class IngestWorker {
  readonly stats: IngestStats = {
    received: 0,
    messages: 0,
    stored: 0,
    duplicates: 0,
    readings: 0,
    duplicateReadings: 0,
    deadLetters: 0,
    batches: 0,
    peakPending: 0,
    pauses: 0,
  };
  readonly topic: string;
  /** Uplinks, status and join events, and the generic JSON topic, all in the same share group. */
  readonly topics: string[];
  private conns: Conn[] = [];
  private queue: Incoming[] = [];
  private readonly maxPending: number;
  private scheduled = false;
  /** Batches being written or waiting for their turn to acknowledge. */
  private readonly running = new Set<Promise<void>>();
  /** Batches being written: at most `batchesInFlight`. */
  private writing = 0;
  private readonly batchesInFlight: number;
  /** The last batch taken, settled once it has acknowledged: the next one acknowledges after it. */
  private ackTurn: Promise<void> = Promise.resolve();
  /** The last `afterCommit` call: each waits for the one before, so listeners see batches in commit order. */
  private listenerTurn: Promise<unknown> = Promise.resolve();
  private readonly repo: DeviceRepository;
  private readonly links: LinkRepository;
  private readonly downlinks: DownlinkRepository;
  private readonly batchSize: number;

  constructor(private readonly options: IngestOptions) {
    this.repo = new DeviceRepository(options.db);
    this.batchSize = options.batchSize ?? 5000;
    this.maxPending = options.maxPending ?? 10_000;
    this.batchesInFlight = options.db.kind === 'pglite' ? 1 : Math.max(1, options.batchesInFlight ?? 2);
    const shared = (t: string) => (options.embedded ? t : `$share/${options.shareGroup ?? shareGroup}/${t}`);
    const app = options.application;
    const own = (t: string) => (app ? t.replace('application/+/', `application/${app}/`) : t);
    this.topic = shared(own(uplinkTopic));
    this.topics = [uplinkTopic, statusTopic, joinTopic, genericTopic, txackTopic, ackTopic].map((t) =>
      shared(own(t)),
    );
    this.links = new LinkRepository(options.db);
    this.downlinks = new DownlinkRepository(options.db);
  }

  async start(): Promise<void> {
    await this.repo.ensurePartitions();
    const n = this.options.embedded ? 1 : Math.max(1, this.options.connections ?? 1);
    // The first keeps the configured client id (and with it the session of earlier versions).
    const ids = Array.from({ length: n }, (_, i) =>
      i === 0 ? this.options.clientId : `${this.options.clientId}-${i + 1}`,
    );
    await Promise.all(ids.map((id) => this.connect(id)));
  }

  private async connect(clientId: string): Promise<void> {
    const client = mqtt.connect(this.options.brokerUrl, {
      clientId,
      // A persistent session: what was sent and not acknowledged is sent again after a reconnect or a restart.
      clean: false,
      protocolVersion: this.options.embedded ? 4 : 5,
      ...(this.options.embedded
        ? {}
        : {
            properties: {
              sessionExpiryInterval: 3600,
              // A small window (it was 1,000) capped each batch and with it throughput: the worker
              // acknowledges a batch only after its commit, so the window is the group-commit size.
              receiveMaximum: Math.min(this.maxPending, 65_535),
            },
          }),
      reconnectPeriod: 2000,
      connectTimeout: 5000,
    });
    const link: Conn = { client, life: 0, last: null, resume: null };
    this.conns.push(link);
    // mqtt.js makes a message's PUBACK right after emitting it (or when the gate below lets it go on).
    holdAcks(client, (packet) => {
      const m = link.last;
      if (m && m.ack === undefined && m.messageId === (packet as { messageId?: number }).messageId)
        m.ack = packet;
    });
    gateMessages(
      client,
      () => this.queue.length >= this.maxPending,
      (resume) => {
        this.stats.pauses++;
        link.resume = resume;
      },
    );
    client.on('error', (err) => this.options.log.warn({ err }, 'ingest MQTT client error'));
    client.on('message', (topic, payload, packet) => this.receive(link, topic, payload, packet.messageId));
    // Acknowledgements belong to their connection; after a drop the broker sends those messages again.
    client.on('close', () => {
      link.life++;
      this.openGate();
    });
    client.on('connect', () => {
      client.subscribe(this.topics, { qos: 1 }, (err) => {
        if (err) this.options.log.error({ err, topics: this.topics }, 'ingest subscription refused');
      });
    });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5000);
      client.once('connect', () => {
        clearTimeout(timer);
        // Resolve once the subscription is in place, so a publish right after start is not missed.
        client.once('packetreceive', () => resolve());
      });
    });
  }

  /** Waits until everything received so far is written. For tests and shutdown. */
  async drain(): Promise<void> {
    while (this.queue.length || this.running.size) await this.flush();
  }

  async stop(): Promise<void> {
    await this.drain();
    const conns = this.conns;
    this.conns = [];
    await Promise.all(conns.map((l) => l.client.endAsync().catch(() => {})));
  }

  /** Drops the connection at once, writing and acknowledging nothing more: what a crash does. */
  async abort(): Promise<void> {
    const conns = this.conns;
    this.conns = [];
    this.queue = [];
    for (const l of conns) {
      l.life++;
      l.resume = null;
    }
    await Promise.all(conns.map((l) => l.client.endAsync(true).catch(() => {})));
  }

  private receive(link: Conn, topic: string, payload: Buffer, messageId?: number) {
    if (!this.conns.includes(link)) return;
    this.stats.received++;
    const m: Incoming = { topic, payload, receivedAt: new Date(), messageId, link, life: link.life };
    link.last = m;
    this.queue.push(m);
    pendingGauge.set(this.queue.length);
    if (this.queue.length > this.stats.peakPending) this.stats.peakPending = this.queue.length;
    this.schedule();
  }

  private openGate() {
    for (const link of this.conns) {
      const resume = link.resume;
      if (!resume || (this.queue.length >= this.maxPending && link.client.connected)) continue;
      link.resume = null;
      resume();
    }
  }

  /**
   * Group commit: while a batch is being written, messages gather for the next one. The broker sends
   * no more than its in-flight window of unacknowledged messages (Mosquitto: receive-maximum), and
   * the gate stops reading at `maxPending` (Aedes), which bounds the queue.
   */
  private schedule() {
    if (this.writing >= this.batchesInFlight || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  /**
   * Takes the waiting messages as batches (while fewer than `batchesInFlight` are being written), writes
   * each, then acknowledges it to the broker. Resolves when every batch taken so far is acknowledged.
   */
  flush(): Promise<void> {
    while (this.queue.length && this.writing < this.batchesInFlight) this.take();
    return Promise.all(this.running).then(() => {});
  }

  private take() {
    const batch = this.queue.splice(0, this.batchSize);
    pendingGauge.set(this.queue.length);
    // Room again: read on while this batch is written (its last message gets its PUBACK made now).
    this.openGate();
    this.writing++;
    const written = this.writeSafely(batch).finally(() => {
      this.writing--;
      if (this.queue.length) this.schedule();
    });
    const turn = this.ackTurn;
    const done = (async () => {
      const durable = await written;
      // PUBACKs go out in the order the messages came in (MQTT 4.6), so after the batch taken before.
      await turn;
      if (!durable) {
        // Not stored: no acknowledgement, and a new connection makes the broker send them again.
        this.options.log.error(
          { messages: batch.length },
          'ingest: batch not stored; reconnecting for redelivery',
        );
        for (const link of new Set(batch.map((m) => m.link)))
          if (this.conns.includes(link)) link.client.stream?.destroy();
        return;
      }
      for (const m of batch)
        if (
          m.ack !== undefined &&
          m.life === m.link.life &&
          m.link.client.connected &&
          this.conns.includes(m.link)
        )
          sendAck(m.link.client, m.ack);
    })().finally(() => this.running.delete(done));
    this.running.add(done);
    this.ackTurn = done.catch(() => {});
  }

  /**
   * A batch that fails as a whole (a database error, an entity the broker refuses) is split in halves
   * and each written again, down to single messages, so one bad message costs only itself (it goes to
   * the dead letters) and the good ones around it take a few transactions, not one each.
   */
  private async writeSafely(batch: Incoming[]): Promise<boolean> {
    try {
      await this.write(batch);
      return true;
    } catch (err) {
      if (batch.length === 1) {
        const m = batch[0];
        this.options.log.warn({ err, topic: m.topic }, 'ingest: message could not be stored');
        try {
          await this.options.db.transaction((tx) =>
            this.repo.insertDeadLetters(tx, [
              {
                topic: clean(m.topic),
                payload: m.payload,
                reason: 'store-failed',
                detail: clean(String((err as Error)?.message ?? err).slice(0, 500)),
                devEui: null,
              },
            ]),
          );
          this.stats.deadLetters++;
          this.stats.messages++;
          messages.inc({ outcome: 'dead-letter' });
          return true;
        } catch (err2) {
          this.options.log.error({ err: err2, topic: m.topic }, 'ingest: dead letter could not be stored');
          return false;
        }
      }
      this.options.log.warn({ err, messages: batch.length }, 'ingest batch failed; writing it in halves');
    }
    const half = Math.ceil(batch.length / 2);
    const first = await this.writeSafely(batch.slice(0, half));
    const second = await this.writeSafely(batch.slice(half));
    return first && second;
  }

  private async write(batch: Incoming[]): Promise<void> {
    const dead: DeadLetter[] = [];
    const parsed: { m: Incoming; uplink: Uplink }[] = [];
    const linkEvents: { m: Incoming; event: LinkEvent }[] = [];
    const downEvents: { m: Incoming; event: DownlinkEvent }[] = [];
    for (const m of batch) {
      const kind = topicKind(m.topic);
      if (kind === 'ack' || kind === 'txack') {
        const r = parseDownlinkEvent(m.topic, m.payload, m.receivedAt);
        if (r.ok) downEvents.push({ m, event: r.event });
        else
          dead.push({ topic: m.topic, payload: m.payload, reason: r.reason, detail: r.detail, devEui: null });
        continue;
      }
      if (kind === 'status' || kind === 'join') {
        const r = parseLinkEvent(m.topic, m.payload, m.receivedAt);
        if (r.ok) linkEvents.push({ m, event: r.event });
        else
          dead.push({ topic: m.topic, payload: m.payload, reason: r.reason, detail: r.detail, devEui: null });
        continue;
      }
      const r = (kind === 'generic' ? parseGeneric : parseUplink)(m.topic, m.payload, m.receivedAt);
      if (r.ok) parsed.push({ m, uplink: r.uplink });
      else
        dead.push({ topic: m.topic, payload: m.payload, reason: r.reason, detail: r.detail, devEui: null });
    }
    const targets = await this.repo.ingestTargets([
      ...new Set([
        ...parsed.map((p) => p.uplink.devEui),
        ...linkEvents.map((l) => l.event.devEui),
        ...downEvents.map((d) => d.event.devEui),
      ]),
    ]);
    const knownEvents: (LinkEvent & { deviceId: string })[] = [];
    for (const { m, event } of linkEvents) {
      const target = targets.get(event.devEui);
      if (target) knownEvents.push({ ...event, deviceId: target.deviceId });
      else
        dead.push({
          topic: m.topic,
          payload: m.payload,
          reason: 'unknown-device',
          detail: `no device with DevEUI ${event.devEui}`,
          devEui: event.devEui,
        });
    }
    const accepted: { uplink: Uplink; target: IngestTarget; values: Measured[] }[] = [];
    for (const { m, uplink } of parsed) {
      const target = targets.get(uplink.devEui);
      const reject = (reason: string, detail: string | null) =>
        dead.push({ topic: m.topic, payload: m.payload, reason, detail, devEui: uplink.devEui });
      if (!target) {
        reject('unknown-device', `no device with DevEUI ${uplink.devEui}`);
        continue;
      }
      const measured = measure(uplink, target);
      if (!measured.ok) reject(measured.reason, measured.detail);
      else accepted.push({ uplink, target, values: measured.values });
    }

    const rows: ReadingRow[] = accepted.flatMap(({ uplink, target, values }) =>
      values.map((v) => ({
        deviceId: target.deviceId,
        observedAt: uplink.time,
        quantity: v.quantity,
        value: v.value,
        fCnt: uplink.fCnt,
      })),
    );
    // The latest uplink of each device this batch: its link state and its entity.
    const latest = new Map<string, (typeof accepted)[number]>();
    for (const a of accepted) {
      const prior = latest.get(a.target.deviceId);
      if (!prior || prior.uplink.time <= a.uplink.time) latest.set(a.target.deviceId, a);
    }
    // Sorted, so that two workers updating the same devices lock them in the same order.
    const links: LinkState[] = [...latest.values()]
      .map(({ uplink, target, values }) => ({
        deviceId: target.deviceId,
        seenAt: uplink.time,
        fCnt: uplink.fCnt,
        rssi: uplink.rssi,
        snr: uplink.snr,
        battery: values.find((v) => v.quantity === 'battery' || v.quantity === 'batteryLevel')?.value ?? null,
        gatewayId: bestGateway(uplink),
        applicationId: uplink.applicationId ?? null,
      }))
      .sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));

    // Two batches written at once (or two processes) that share a device take its row first, in id
    // order, before anything else of it (readings, rollups, link state, events, entity): the second
    // waits for the first's commit instead of the two locking each other's rows in turn (a deadlock).
    const devices = [
      ...new Set([
        ...links.map((l) => l.deviceId),
        ...knownEvents.map((e) => e.deviceId),
        ...downEvents.flatMap((d) => targets.get(d.event.devEui)?.deviceId ?? []),
      ]),
    ];
    const stored = await this.options.db.transaction(async (tx) => {
      if (this.options.db.kind === 'postgres') await this.repo.lockDevices(tx, devices);
      const fresh = await this.repo.insertReadings(tx, rows);
      const newest = await this.repo.updateLinks(tx, links);
      await this.links.sawGateways(
        tx,
        accepted.flatMap(({ uplink, target }) =>
          (uplink.gateways ?? []).map((g) => ({ ...g, deviceId: target.deviceId, seenAt: uplink.time })),
        ),
        false,
      );
      await this.links.storeEvents(tx, knownEvents);
      const unknown = await this.downlinks.apply(
        tx,
        downEvents.map((d) => d.event),
      );
      for (const { m, event } of downEvents)
        if (unknown.has(event.queueItemId))
          dead.push({
            topic: m.topic,
            payload: m.payload,
            reason: 'unknown-downlink',
            detail: `no downlink ${event.queueItemId} of device ${event.devEui}`,
            devEui: event.devEui,
          });
      // All the batch's entities in one write; a device whose stored state is newer keeps it.
      await this.options.context.publishMany(
        tx,
        [...latest.values()]
          .filter(({ target }) => newest.has(target.deviceId))
          .map(({ uplink, target, values }) => entityOf(target, uplink, values)),
      );
      await this.repo.insertDeadLetters(
        tx,
        dead.map((d) => ({
          ...d,
          topic: clean(d.topic),
          detail: d.detail === null ? null : clean(d.detail),
        })),
      );
      return fresh;
    });
    if (this.options.afterCommit && stored.count) {
      const fresh = rows.filter((r) => stored.keys.has(readingKey(r.deviceId, Date.parse(r.observedAt))));
      const listener = this.options.afterCommit;
      const call = this.listenerTurn.then(() => listener(fresh));
      this.listenerTurn = call.catch(() => {});
      try {
        await call;
      } catch (err) {
        this.options.log.error({ err }, 'ingest: afterCommit listener failed');
      }
    }

    // A message none of whose readings was new is a redelivery or a duplicate: dropped and counted.
    const duplicateReadings = rows.length - stored.count;
    // Within a batch the first of several identical uplinks is the one stored.
    let dupMessages = 0;
    for (const a of accepted) {
      const key = readingKey(a.target.deviceId, Date.parse(a.uplink.time));
      if (stored.keys.delete(key)) continue;
      dupMessages++;
    }
    this.stats.batches++;
    this.stats.messages += batch.length;
    this.stats.readings += stored.count;
    this.stats.duplicateReadings += duplicateReadings;
    this.stats.deadLetters += dead.length;
    readingsStored.inc({ outcome: 'stored' }, stored.count);
    readingsStored.inc({ outcome: 'duplicate' }, duplicateReadings);
    messages.inc({ outcome: 'dead-letter' }, dead.length);
    this.stats.duplicates += dupMessages;
    this.stats.stored += accepted.length - dupMessages;
    messages.inc({ outcome: 'duplicate' }, dupMessages);
    messages.inc({ outcome: 'stored' }, accepted.length - dupMessages);
  }
}

/** The gateway that heard an uplink best (highest RSSI; the first of equals), as `sawGateways` picks it. */
function bestGateway(uplink: Uplink): string | null {
  let best: { gatewayId: string; rssi: number | null } | null = null;
  for (const g of uplink.gateways ?? [])
    if (!best || (g.rssi ?? Number.NEGATIVE_INFINITY) > (best.rssi ?? Number.NEGATIVE_INFINITY)) best = g;
  return best?.gatewayId ?? null;
}

/** The NGSI-LD entity of a device: its profile's type, its place, and its latest values observed at the uplink's time. */
export function entityOf(target: IngestTarget, uplink: Uplink, values: Measured[]): Record<string, unknown> {
  const entity: Record<string, unknown> = {
    id: deviceEntityId(target.entityType, target.devEui),
    type: target.entityType,
    name: { type: 'Property', value: target.name },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [target.lon, target.lat] } },
    dateObserved: { type: 'Property', value: uplink.time },
  };
  for (const v of values) {
    if (reserved.has(v.quantity)) continue;
    entity[v.quantity] = {
      type: 'Property',
      value: v.value,
      observedAt: uplink.time,
      ...(v.unit ? { unitCode: v.unit } : {}),
    };
  }
  return entity;
}
