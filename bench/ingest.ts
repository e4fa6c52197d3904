// Ingestion benchmark (issue 4): sustained readings/s end-to-end, MQTT publish → row committed, through
// the platform as `npm start` runs it (a child process; its peak RSS measured), for N devices and 3
// readings per message. In the same run and on the same table: (a) the physical-limit baseline — on
// PostgreSQL a COPY … FROM STDIN of the same rows (bench/copy.ts), on PGlite a multi-row INSERT …
// SELECT FROM jsonb_to_recordset of 15,000 rows a statement; no rollups, nothing else; (b) a naive pipeline — an MQTT subscriber that looks the
// device up and inserts each reading in its own statement, one message at a time.
// PGlite + embedded Aedes by default; PostgreSQL with DATABASE_URL (a scratch database on that server,
// dropped afterwards) and Mosquitto with MQTT_URL. Publishers stay at most --window messages ahead of
// what is committed, so a broker never has to drop: 1,000 for each of the platform's MQTT connections
// (--connections, INGEST_MQTT_CONNECTIONS, 4 by default; the embedded broker takes one), because Mosquitto
// 2.0 with its default settings queues about 1,000 a session and drops the rest (its log: "Outgoing
// messages are being dropped"; seen with one connection at a window of 10,000), whatever receive-maximum
// the worker announces. The platform subscribes in a share group of its own (MQTT_SHARE_GROUP),
// so other processes on a shared Mosquitto cannot take its messages. Messages that never arrive mark
// the row INCOMPLETE after 60 s without progress.
// Run: npx tsx bench/ingest.ts [--devices 10000] [--seconds 30] [--connections 4] [--window 4000]
// Informational: never exits non-zero because a target is missed.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';
import type { Db } from '../src/core/db/index.ts';
import { startBroker } from '../src/core/mqtt/broker.ts';
import { seedOrganisation } from '../src/core/org/seed.ts';
import { DeviceRepository } from '../src/platform/devices/repository.ts';
import { measure, parseUplink } from '../src/platform/ingestion/chirpstack.ts';
import { openAndMigrate } from '../src/server.ts';
import { copyIn } from './copy.ts';
import { memory, removeTempDir, startPlatform, tempDir } from './lib.ts';
import { loadAverage, machine, printTable } from './report.ts';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '30' },
    window: { type: 'string' },
    connections: { type: 'string', default: '4' },
  },
});
const DEVICES = Number(values.devices);
const SECONDS = Number(values.seconds);
// A stock Mosquitto keeps about 1,000 unacknowledged messages a session and drops the rest, whatever
// receive-maximum the worker announces; each of the platform's MQTT connections (INGEST_MQTT_CONNECTIONS)
// is a session with its own queue, so the window that stays clear of drops grows with them. The window
// also bounds each group commit: every message in it waits for its batch.
const CONNECTIONS = Number(values.connections);
const WINDOW = Number(values.window ?? 1_000 * (process.env.MQTT_URL ? CONNECTIONS : 1));
const TARGETS = { readings: 50_000, ofBulk: 50, rssMb: 500 };
const app = `bench-${randomBytes(4).toString('hex')}`;
const eui = (i: number) => `a84041bb${i.toString(16).padStart(8, '0')}`;
const t0 = Date.UTC(2026, 0, 15);

/** Cayenne LPP: analog input (PM2.5), temperature, humidity — three readings a message. */
function lpp(k: number): string {
  const b = Buffer.alloc(11);
  b.writeUInt8(1, 0);
  b.writeUInt8(2, 1);
  b.writeInt16BE(3000 + (k % 2000), 2);
  b.writeUInt8(2, 4);
  b.writeUInt8(103, 5);
  b.writeInt16BE(250 + (k % 100), 6);
  b.writeUInt8(3, 8);
  b.writeUInt8(104, 9);
  b.writeUInt8(100 + (k % 60), 10);
  return b.toString('base64');
}

/** Message k: device k mod N, its (k div N)-th uplink one second after the last — unique per device. */
function message(k: number, dayOffset: number): [string, string] {
  const d = eui(k % DEVICES);
  const n = Math.floor(k / DEVICES);
  const time = new Date(t0 + dayOffset * 86_400_000 + n * 1000).toISOString();
  const body = `{"time":"${time}","deviceInfo":{"devEui":"${d}"},"fCnt":${n},"fPort":1,"data":"${lpp(k)}","rxInfo":[{"gatewayId":"a84041ffff000001","rssi":-90,"snr":7.5}]}`;
  return [`application/${app}/device/${d}/event/up`, body];
}

async function register(db: Db): Promise<void> {
  const offices = await seedOrganisation(db);
  const repo = new DeviceRepository(db);
  const profile = await db.transaction((tx) =>
    repo.insertProfile(tx, {
      name: `bench ${app}`,
      decoder: { kind: 'cayenne-lpp' },
      quantities: [
        { field: 'analog_input_1', quantity: 'pm25', unit: 'GQ' },
        { field: 'temperature_2', quantity: 'temperature', unit: 'CEL' },
        { field: 'humidity_3', quantity: 'relativeHumidity', unit: 'P1' },
      ],
      entityType: 'AirQualityObserved',
      synthetic: true,
    }),
  );
  const office = [...offices.values()][0];
  await db.orm.execute(sql`INSERT INTO dev_devices (dev_eui, name, profile_id, office_id, location, synthetic)
    SELECT 'a84041bb' || lpad(to_hex(i), 8, '0'), 'Bench ' || i || ' (synthetic)', ${profile.id}::uuid, ${office}::uuid,
      ST_SetSRID(ST_MakePoint(102.8 + (i % 100) * 0.0007, 16.39 + (i / 100 % 100) * 0.0007), 4326), true
    FROM generate_series(0, ${DEVICES - 1}) AS i`);
}

/**
 * Publishes for SECONDS, never more than WINDOW messages ahead of `committed()`, then waits until
 * everything is committed. Returns messages published and the seconds from the first publish to the
 * last commit.
 */
async function drive(
  client: MqttClient,
  committed: () => Promise<number>,
  dayOffset: number,
  window = WINDOW,
): Promise<{ messages: number; seconds: number; lost: boolean }> {
  let k = 0;
  let done = 0;
  const start = performance.now();
  const until = start + SECONDS * 1000;
  while (performance.now() < until) {
    if (k - done >= window) {
      done = await committed();
      // Every 20 ms, not 5: each poll renders the platform's whole /metrics, and at 5 ms that was
      // ~13 % of the platform's CPU (a cost of measuring, not of ingesting); 20 ms of refill delay is
      // a few percent of a 4,000-message window.
      if (k - done >= window) await sleep(20);
      continue;
    }
    for (const end = Math.min(k + 500, done + window); k < end; k++) {
      const [topic, body] = message(k, dayOffset);
      client.publish(topic, body, { qos: 1 });
    }
    await new Promise((r) => setImmediate(r));
  }
  let last = performance.now();
  let lost = false;
  while (done < k) {
    const before = done;
    done = await committed();
    if (done > before) last = performance.now();
    else if (performance.now() - last > 60_000) {
      lost = true;
      break;
    }
    await sleep(20);
  }
  return { messages: k, seconds: (last - start) / 1000, lost };
}

async function storedReadings(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^mueang_ingest_readings_total\{outcome="stored"\} (\d+)/m.exec(text)?.[1] ?? 0);
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  const mqttUrl = process.env.MQTT_URL;
  const kind = `${databaseUrl ? 'PostgreSQL' : 'PGlite'} + ${mqttUrl ? 'Mosquitto' : 'Aedes (embedded)'}`;
  console.log(
    `Ingest benchmark — ${kind}, ${DEVICES} devices, 3 readings/message, ${SECONDS} s, window ${WINDOW}, ${CONNECTIONS} MQTT connection(s)`,
  );
  console.log(machine());
  const dataDir = tempDir('mueang-bench-ingest-');
  let scratch: { url: string; drop(): Promise<void> } | null = null;
  if (databaseUrl) {
    const { scratchDatabase } = await import('../src/core/testing/scratch.ts');
    scratch = await scratchDatabase(databaseUrl);
  }
  const config = { DATABASE_URL: scratch?.url, DATA_DIR: dataDir };
  const rates: Record<string, { readings: number; seconds: number; lost: boolean }> = {};
  let peakRss = 0;
  try {
    let db = await openAndMigrate(config);
    await register(db);
    await db.close();

    // The platform, as `npm start` runs it, without demo data or the demo simulator.
    const platform = await startPlatform(dataDir, {
      DEMO: 'false',
      DEMO_SIMULATOR: 'false',
      DATABASE_URL: scratch?.url ?? '',
      MQTT_URL: mqttUrl ?? '',
      // A share group of its own, so no other process on a shared broker takes (or strands) its messages.
      MQTT_SHARE_GROUP: app,
      INGEST_MQTT_CONNECTIONS: `${CONNECTIONS}`,
    });
    try {
      // The banner, printed just after /readyz answers, names the embedded broker's address.
      const banner = () => /MQTT\s+(mqtt:\/\/\S+)/.exec(platform.output())?.[1];
      for (let i = 0; i < 200 && !mqttUrl && !banner(); i++) await sleep(50);
      const brokerUrl = mqttUrl ?? banner();
      if (!brokerUrl) throw new Error(`no broker address in the banner:\n${platform.output()}`);
      const client = await mqtt.connectAsync(brokerUrl, { protocolVersion: mqttUrl ? 5 : 4 });
      const r = await drive(client, async () => Math.floor((await storedReadings(platform.url)) / 3), 0);
      rates.platform = { readings: r.messages * 3, seconds: r.seconds, lost: r.lost };
      await client.endAsync();
      peakRss = memory(platform.serverPid).peak;
      console.log(`  platform: ${(rates.platform.readings / r.seconds).toFixed(0)} readings/s`);
    } finally {
      await platform.stop();
    }

    db = await openAndMigrate(config);
    try {
      // (a) The same rows straight into dev_readings, a day later: COPY on PostgreSQL (the physical
      // limit); on PGlite a multi-row INSERT … SELECT of 15,000 rows a statement. No rollups.
      const ids = await db.rows<{ id: string; eui: string }>(
        sql`SELECT id, dev_eui AS eui FROM dev_devices WHERE dev_eui LIKE 'a84041bb%'`,
      );
      const idOf = new Map(ids.map((r) => [r.eui, r.id]));
      const total = rates.platform.readings / 3;
      const parts: { d: string | undefined; t: string; q: string; v: number; f: number }[][] = [];
      for (let from = 0; from < total; from += 5000) {
        const rows = [];
        for (let k = from; k < Math.min(total, from + 5000); k++) {
          const time = new Date(t0 + 86_400_000 + Math.floor(k / DEVICES) * 1000).toISOString();
          const deviceId = idOf.get(eui(k % DEVICES));
          const n = Math.floor(k / DEVICES);
          rows.push(
            { d: deviceId, t: time, q: 'pm25', v: 30 + (k % 2000) / 100, f: n },
            { d: deviceId, t: time, q: 'temperature', v: 25 + (k % 100) / 10, f: n },
            { d: deviceId, t: time, q: 'relativeHumidity', v: 50 + (k % 60) / 2, f: n },
          );
        }
        parts.push(rows);
      }
      let bulkSeconds: number;
      if (scratch) {
        const chunks = parts.map((rows) =>
          Buffer.from(rows.map((r) => `${r.d}\t${r.t}\t${r.q}\t${r.v}\t${r.f}\n`).join('')),
        );
        bulkSeconds = await copyIn(
          scratch.url,
          'COPY dev_readings (device_id, observed_at, quantity, value, f_cnt) FROM STDIN',
          chunks,
        );
      } else {
        const start = performance.now();
        for (const rows of parts)
          await db.orm.execute(sql`INSERT INTO dev_readings (device_id, observed_at, quantity, value, f_cnt)
            SELECT x.d, x.t, x.q, x.v, x.f FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
              AS x(d uuid, t timestamptz, q text, v float8, f bigint)`);
        bulkSeconds = (performance.now() - start) / 1000;
      }
      rates.bulk = { readings: total * 3, seconds: bulkSeconds, lost: false };
      console.log(`  bulk: ${(rates.bulk.readings / rates.bulk.seconds).toFixed(0)} readings/s`);

      // (b) The naive pipeline, through a broker of the same kind, two days later.
      const broker = await startBroker({
        mqttUrl,
        port: 0,
        portExplicit: false,
        host: '127.0.0.1',
        log: pino({ level: 'silent' }),
      });
      const repo = new DeviceRepository(db);
      let committed = 0;
      const sub = await mqtt.connectAsync(broker.url, { protocolVersion: mqttUrl ? 5 : 4, clean: true });
      // mqtt.js reads the next message only after this calls back: one message at a time.
      sub.handleMessage = (packet, callback) => {
        const up = parseUplink(packet.topic, packet.payload as Buffer, new Date());
        if (!up.ok) return callback();
        void repo.ingestTargets([up.uplink.devEui]).then(async (targets) => {
          const target = targets.get(up.uplink.devEui);
          const m = target && measure(up.uplink, target);
          if (target && m?.ok)
            for (const v of m.values)
              await db.orm.execute(sql`INSERT INTO dev_readings (device_id, observed_at, quantity, value, f_cnt)
                VALUES (${target.deviceId}, ${up.uplink.time}, ${v.quantity}, ${v.value}, ${up.uplink.fCnt})
                ON CONFLICT DO NOTHING`);
          committed++;
          callback();
        }, callback);
      };
      await sub.subscribeAsync(`application/${app}/device/+/event/up`, { qos: 1 });
      const pub = await mqtt.connectAsync(broker.url, { protocolVersion: mqttUrl ? 5 : 4 });
      // One message at a time gains nothing from a deep window; a small one keeps its drain short.
      const n = await drive(pub, async () => committed, 2, Math.min(WINDOW, 1000));
      rates.naive = { readings: n.messages * 3, seconds: n.seconds, lost: n.lost };
      console.log(`  naive: ${(rates.naive.readings / n.seconds).toFixed(0)} readings/s`);
      await pub.endAsync();
      await sub.endAsync();
      await broker.close();
    } finally {
      await db.close();
    }
  } finally {
    await scratch?.drop();
    removeTempDir(dataDir);
  }

  const perS = (k: string) => rates[k].readings / rates[k].seconds;
  const rows = [['pipeline', 'readings', 'seconds', 'readings/s', 'messages/s', '% of (a)', 'target']];
  const names: Record<string, string> = {
    platform: 'platform: MQTT → worker → committed',
    bulk: databaseUrl ? '(a) COPY (physical limit)' : '(a) bulk INSERT … SELECT (physical limit)',
    naive: '(b) naive: INSERT per reading',
  };
  const target: Record<string, string> = {
    platform: `≥ ${TARGETS.readings}/s, ≥ ${TARGETS.ofBulk} % of (a)`,
    bulk: '',
    naive: '',
  };
  for (const k of ['platform', 'bulk', 'naive'])
    rows.push([
      names[k] + (rates[k].lost ? ' (INCOMPLETE: messages lost)' : ''),
      `${rates[k].readings}`,
      rates[k].seconds.toFixed(1),
      perS(k).toFixed(0),
      (perS(k) / 3).toFixed(0),
      `${((100 * perS(k)) / perS('bulk')).toFixed(1)} %`,
      target[k],
    ]);
  console.log(`\n${kind}, ${DEVICES.toLocaleString('en')} devices`);
  printTable(rows);
  console.log(`platform vs naive: ${(perS('platform') / perS('naive')).toFixed(1)}×`);
  console.log(`peak RSS of the platform process: ${peakRss.toFixed(0)} MB (target ≤ ${TARGETS.rssMb} MB)`);
  console.log(`${loadAverage()} at the end (this run's own load included)`);
}

main().catch((e) => {
  console.error(e instanceof Error ? `${e.stack}\n${e.cause ?? ''}` : e);
  process.exit(1); // the 'exit' hook in lib.ts kills what is still running and removes temp dirs
});
