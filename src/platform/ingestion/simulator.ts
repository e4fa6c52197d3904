/**
 * A LoRaWAN traffic simulator for demos and load tests: publishes ChirpStack v4 uplink events for
 * devices that exist in the registry, encoded with each device's own profile so the ingest worker
 * decodes them as it would real traffic. Values follow diurnal curves in Bangkok time. SYNTHETIC data.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import mqtt, { type MqttClient } from 'mqtt';
import { audit, systemActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/index.ts';
import { OrgRepository } from '../../core/org/repository.ts';
import { DeviceRepository } from '../devices/repository.ts';
import { demoDevices, demoProfiles } from '../devices/seed.ts';
import type { DecoderConfig } from './decoders.ts';

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same values. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Hour of the day in Bangkok (UTC+7, no daylight saving), fractional. */
export const bangkokHour = (t: Date) => (((t.getTime() / 3600_000 + 7) % 24) + 24) % 24;

const bump = (h: number, centre: number, width: number) => {
  const d = Math.min(Math.abs(h - centre), 24 - Math.abs(h - centre));
  return Math.exp(-(d * d) / (2 * width * width));
};

/**
 * The value a quantity has at a time, for a device whose typical value is `base` (0 → a default).
 * PM2.5 is high at night (inversion) and in the morning rush, low in the afternoon; temperature peaks
 * at 14:00; solar power follows the sun (06:00–18:00); water level drifts slowly. `noise` ∈ [0, 1).
 * Undefined for a quantity the simulator does not know.
 */
export function curve(quantity: string, t: Date, base: number, noise: number): number | undefined {
  const h = bangkokHour(t);
  const jitter = noise * 2 - 1;
  switch (quantity) {
    case 'pm25':
    case 'pm10': {
      const b = base || (quantity === 'pm25' ? 35 : 55);
      const shape = 0.6 + 0.5 * bump(h, 7.5, 1.5) + 0.35 * bump(h, 2, 4) + 0.3 * bump(h, 18.5, 1.5);
      return Math.max(0, b * shape * (1 + 0.1 * jitter));
    }
    case 'temperature':
      return (base || 29) + 5 * Math.cos(((h - 14) / 24) * 2 * Math.PI) + 0.3 * jitter;
    case 'relativeHumidity':
      return Math.min(
        100,
        Math.max(0, (base || 65) - 18 * Math.cos(((h - 14) / 24) * 2 * Math.PI) + 2 * jitter),
      );
    case 'solarPower': {
      const sun = h > 6 && h < 18 ? Math.sin(((h - 6) / 12) * Math.PI) : 0;
      return Math.max(0, (base || 5000) * sun * (1 + 0.05 * jitter));
    }
    case 'waterLevel': {
      // A slow tide-like swing over two days, in metres, never below zero.
      const days = t.getTime() / 86_400_000;
      return Math.max(0, (base || 0.8) + 0.15 * Math.sin(days * Math.PI) + 0.005 * jitter);
    }
    case 'battery':
      return Math.min(100, Math.max(0, (base || 90) + jitter));
    default:
      return undefined;
  }
}

export interface SimDevice {
  devEui: string;
  decoder: DecoderConfig;
  quantities: { field: string; quantity: string }[];
}

const lppCodes: Record<string, [type: number, size: number, resolution: number, signed: boolean]> = {
  digital_input: [0, 1, 1, false],
  analog_input: [2, 2, 0.01, true],
  illuminance: [101, 2, 1, false],
  temperature: [103, 2, 0.1, true],
  humidity: [104, 1, 0.5, false],
  barometer: [115, 2, 0.1, false],
};

function writeInt(out: number[], value: number, size: number, signed: boolean, little: boolean) {
  const max = signed ? 2 ** (8 * size - 1) - 1 : 2 ** (8 * size) - 1;
  const min = signed ? -(2 ** (8 * size - 1)) : 0;
  let n = Math.min(max, Math.max(min, Math.round(value)));
  if (n < 0) n += 2 ** (8 * size);
  const bytes: number[] = [];
  for (let i = size - 1; i >= 0; i--) bytes.push(Math.floor(n / 2 ** (8 * i)) % 256);
  out.push(...(little ? bytes.reverse() : bytes));
}

/**
 * Encodes values (by decoded field name) the way the device's decoder reads them. Undefined when the
 * profile's layout cannot be produced (a JSON profile, an LPP type the simulator does not write).
 */
export function encode(decoder: DecoderConfig, values: Map<string, number>): Uint8Array | undefined {
  const out: number[] = [];
  if (decoder.kind === 'cayenne-lpp') {
    for (const [field, value] of values) {
      const m = /^([a-z_]+)_(\d{1,3})$/.exec(field);
      const code = m ? lppCodes[m[1]] : undefined;
      if (!m || !code || Number(m[2]) > 255) return undefined;
      out.push(Number(m[2]), code[0]);
      writeInt(out, value / code[2], code[1], code[3], false);
    }
    return Uint8Array.from(out);
  }
  if (decoder.kind === 'bytes') {
    const size = Math.max(0, ...decoder.fields.map((f) => f.offset + f.length));
    const buf = new Array<number>(size).fill(0);
    for (const f of decoder.fields) {
      const v = values.get(f.field) ?? 0;
      const part: number[] = [];
      writeInt(part, v / (f.scale ?? 1), f.length, f.signed, f.endianness === 'little');
      buf.splice(f.offset, f.length, ...part);
    }
    return Uint8Array.from(buf);
  }
  return undefined;
}

/** SYNTHETIC gateway ids of the simulated network: every uplink is heard by one or two of them. */
export const simulatedGateways = ['a84041ffff000001', 'a84041ffff000002', 'a84041ffff000003'];

/** One ChirpStack v4 `event/up` JSON document for a device at a time, or undefined if unencodable. */
export function uplinkEvent(
  device: SimDevice,
  appId: string,
  fCnt: number,
  t: Date,
  random: () => number,
  gateways: string[] = simulatedGateways.slice(0, 1),
): string | undefined {
  const values = new Map<string, number>();
  for (const q of device.quantities) {
    const v = curve(q.quantity, t, 0, random());
    if (v !== undefined) values.set(q.field, v);
  }
  if (!values.size) return undefined;
  const data = encode(device.decoder, values);
  if (!data) return undefined;
  return JSON.stringify({
    deduplicationId: randomBytes(16).toString('hex'),
    time: t.toISOString(),
    deviceInfo: {
      tenantId: 'simulator',
      applicationId: appId,
      applicationName: 'Mueang simulator (synthetic)',
      deviceName: device.devEui,
      devEui: device.devEui,
    },
    devAddr: device.devEui.slice(8),
    fCnt,
    fPort: 1,
    data: Buffer.from(data).toString('base64'),
    rxInfo: gateways.map((gatewayId) => ({
      gatewayId,
      rssi: Math.round(-120 + 60 * random()),
      snr: Math.round((-10 + 20 * random()) * 4) / 4,
    })),
  });
}

/** A ChirpStack v4 `event/status` document: the battery the device reports and its link margin. */
export function statusEvent(device: SimDevice, appId: string, t: Date, random: () => number): string {
  return JSON.stringify({
    deduplicationId: randomBytes(16).toString('hex'),
    time: t.toISOString(),
    deviceInfo: {
      tenantId: 'simulator',
      applicationId: appId,
      deviceName: device.devEui,
      devEui: device.devEui,
    },
    margin: Math.round(-5 + 25 * random()),
    batteryLevel: Math.round((85 + 15 * random()) * 100) / 100,
  });
}

/** Devices of the registry the simulator can encode for (JSON profiles are left out), at most `limit`. */
export async function simulatedDevices(db: Db, limit: number): Promise<SimDevice[]> {
  const rows = await db.rows<SimDevice>(sql`SELECT d.dev_eui AS "devEui", p.decoder, p.quantities
    FROM dev_devices d JOIN dev_profiles p ON p.id = d.profile_id
    WHERE p.decoder ->> 'kind' IN ('cayenne-lpp', 'bytes') ORDER BY d.dev_eui LIMIT ${limit}`);
  const probe = seededRandom(1);
  return rows.filter((d) => uplinkEvent(d, 'probe', 0, new Date(), probe) !== undefined);
}

/** The Khon Kaen demo network as `mueang seed` registers it, without opening the database. */
export function demoNetwork(): SimDevice[] {
  return demoDevices.map(([devEui, , pi]) => ({
    devEui,
    decoder: demoProfiles[pi].decoder,
    quantities: demoProfiles[pi].quantities,
  }));
}

/**
 * Registers SYNTHETIC devices (DevEUI `a84041ee` + an 8-digit index, named "Simulated … (synthetic)",
 * marked synthetic, audited) until `count` exist with that prefix, alternating the demo air-quality and
 * water-level profiles (created, synthetic, if missing), at random points inside the municipality.
 * Idempotent: running it again with the same count adds nothing. Returns how many it created.
 */
export async function registerSynthetic(db: Db, count: number, random: () => number): Promise<number> {
  const repo = new DeviceRepository(db);
  const org = new OrgRepository(db);
  const offices = [await org.officeByCode('health-environment'), await org.officeByCode('engineering')];
  if (!offices[0] || !offices[1]) throw new Error('the demo offices are missing: run `mueang seed` first');
  let created = 0;
  const actor = { ...systemActor, label: 'cli simulate --register' };
  for (let start = 0; start < count; start += 100) {
    await db.transaction(async (tx) => {
      const profiles = [];
      for (const p of demoProfiles)
        profiles.push((await repo.profileByName(p.name, tx)) ?? (await repo.insertProfile(tx, p)));
      for (let i = start; i < Math.min(count, start + 100); i++) {
        const devEui = `a84041ee${i.toString(16).padStart(8, '0')}`;
        if (await repo.deviceIdByEui(devEui, tx)) continue;
        // A point around the city centre; a few tries to land inside a zone, else a demo device's place.
        let lon = 102.835;
        let lat = 16.425;
        let zone: string | null = null;
        for (let k = 0; k < 5 && !zone; k++) {
          const x = 102.8 + 0.07 * random();
          const y = 16.39 + 0.07 * random();
          const place = await org.locate(x, y, tx);
          if (place) [lon, lat, zone] = [x, y, place.zone.code];
        }
        if (!zone) zone = (await org.locate(lon, lat, tx))?.zone.code ?? null;
        const kind = i % 2;
        const d = await repo.insertDevice(tx, {
          devEui,
          name: `Simulated ${kind ? 'drain level' : 'PM2.5'} ${i + 1} (synthetic)`,
          profileId: profiles[kind].id,
          officeId: offices[kind]!.id,
          lon,
          lat,
          zoneCode: zone,
          installedOn: null,
          tags: ['simulated'],
          synthetic: true,
        });
        await audit(tx, actor, {
          action: 'devices.device.create',
          resourceType: 'devices.device',
          resourceId: d.id,
          detail: { devEui, synthetic: true },
        });
        created++;
      }
    });
  }
  return created;
}

export interface SimulatorOptions {
  brokerUrl: string;
  devices: SimDevice[];
  intervalMs: number;
  /** Stop after this long; runs until stopped when absent. */
  durationMs?: number;
  /** Share of uplinks sent broken (truncated payload or malformed JSON), 0–1. */
  brokenRate: number;
  appId?: string;
  random?: () => number;
  protocolVersion?: 4 | 5;
  /** Gateways that hear the devices: each device is near one of them, and now and then a second hears it too. */
  gateways?: string[];
  /** Every this many uplinks a device also sends a status event (battery, margin); 0 never. */
  statusEvery?: number;
}

export interface SimulatorStats {
  sent: number;
  broken: number;
  status: number;
}

/**
 * Publishes one uplink per device per interval, each device at its own offset in the interval so the
 * traffic is spread, not in bursts. Resolves when the duration has passed or `stop` is called.
 */
export class Simulator {
  readonly stats: SimulatorStats = { sent: 0, broken: 0, status: 0 };
  #client?: MqttClient;
  #timers = new Set<NodeJS.Timeout>();
  #done?: () => void;
  #stopped = false;

  constructor(private readonly options: SimulatorOptions) {}

  async run(): Promise<SimulatorStats> {
    const o = this.options;
    const random = o.random ?? Math.random;
    const appId = o.appId ?? 'mueang-simulator';
    const client = await mqtt.connectAsync(o.brokerUrl, {
      protocolVersion: o.protocolVersion ?? 4,
      clientId: `mueang-sim-${randomBytes(4).toString('hex')}`,
    });
    // Stopped while connecting (a platform shut down right after start): nothing to run.
    if (this.#stopped) {
      await client.endAsync();
      return this.stats;
    }
    this.#client = client;
    const finished = new Promise<void>((resolve) => {
      this.#done = resolve;
    });
    const fCnt = new Map<string, number>();
    const gateways = o.gateways ?? simulatedGateways.slice(0, 1);
    const statusEvery = o.statusEvery ?? 0;
    const send = (d: SimDevice, i: number) => {
      const n = fCnt.get(d.devEui) ?? 1;
      fCnt.set(d.devEui, n + 1);
      const near = gateways[i % gateways.length];
      const heard =
        gateways.length > 1 && random() < 0.3 ? [near, gateways[(i + 1) % gateways.length]] : [near];
      const now = new Date();
      if (statusEvery > 0 && n % statusEvery === 0) {
        this.stats.status++;
        this.#client?.publish(
          `application/${appId}/device/${d.devEui}/event/status`,
          statusEvent(d, appId, now, random),
          { qos: 1 },
        );
      }
      let payload = uplinkEvent(d, appId, n, now, random, heard);
      if (!payload) return;
      if (random() < o.brokenRate) {
        // Half malformed JSON, half a payload cut short so the decoder refuses it.
        payload = random() < 0.5 ? payload.slice(0, payload.length >> 1) : brokenData(payload);
        this.stats.broken++;
      }
      this.stats.sent++;
      this.#client?.publish(`application/${appId}/device/${d.devEui}/event/up`, payload, { qos: 1 });
    };
    o.devices.forEach((d, i) => {
      const offset = (o.intervalMs * i) / Math.max(1, o.devices.length);
      const first = setTimeout(() => {
        this.#timers.delete(first);
        send(d, i);
        const every = setInterval(() => send(d, i), o.intervalMs);
        this.#timers.add(every);
      }, offset);
      this.#timers.add(first);
    });
    if (o.durationMs !== undefined) {
      const end = setTimeout(() => void this.stop(), o.durationMs);
      this.#timers.add(end);
    }
    await finished;
    return this.stats;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    const client = this.#client;
    this.#client = undefined;
    await client?.endAsync();
    this.#done?.();
  }
}

/** The same event with a one-byte payload no profile decodes completely. */
export function brokenData(payload: string): string {
  const ev = JSON.parse(payload) as Record<string, unknown>;
  ev.data = Buffer.from([0x01]).toString('base64');
  return JSON.stringify(ev);
}

/** `60s`, `5m`, `1h`, `500ms` → milliseconds; undefined when not a positive duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return ms > 0 && Number.isFinite(ms) ? ms : undefined;
}
