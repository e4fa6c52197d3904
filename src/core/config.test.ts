import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { defaultHeapGrowingPercent } from './db/index.ts';

const empty = mkdtempSync(join(tmpdir(), 'mueang-config-'));

describe('config', () => {
  it('has working defaults: embedded database and broker, demo on', () => {
    const c = loadConfig({}, empty);
    expect(c.PORT).toBe(3000);
    expect(c.portExplicit).toBe(false);
    expect(c.MQTT_PORT).toBe(1883);
    expect(c.DATA_DIR).toBe(join(empty, 'data'));
    expect(c.embeddedDatabase).toBe(true);
    expect(c.embeddedBroker).toBe(true);
    expect(c.DEMO).toBe(true);
  });

  it("names Khon Kaen on tax documents by default, takes another municipality's details, and refuses a malformed tax ID or phone", () => {
    const c = loadConfig({}, empty);
    expect(c.MUNICIPALITY_NAME_TH).toBe('เทศบาลนครขอนแก่น');
    expect(c.MUNICIPALITY_NAME_EN).toBe('Khon Kaen City Municipality');
    expect(c.MUNICIPALITY_ADDRESS_TH).toContain('ขอนแก่น 40000');
    expect(c.MUNICIPALITY_TAX_ID).toBeUndefined();
    expect(c.MUNICIPALITY_PHONE).toBeUndefined();
    const other = loadConfig(
      {
        MUNICIPALITY_NAME_TH: 'เทศบาลนครอุดรธานี',
        MUNICIPALITY_TAX_ID: '0994000123456',
        MUNICIPALITY_PHONE: '+66 42 000 000',
      },
      empty,
    );
    expect(other).toMatchObject({
      MUNICIPALITY_NAME_TH: 'เทศบาลนครอุดรธานี',
      MUNICIPALITY_PHONE: '+66 42 000 000',
    });
    for (const [name, value] of [
      ['MUNICIPALITY_TAX_ID', '12345'],
      ['MUNICIPALITY_TAX_ID', '099400012345x'],
      ['MUNICIPALITY_PHONE', '043<script>'],
      ['MUNICIPALITY_NAME_EN', 'x'.repeat(201)],
    ])
      expect(() => loadConfig({ [name]: value }, empty)).toThrow(name);
  });

  it('turns demo off by default on an external database, unless asked', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }, empty).DEMO).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', DEMO: 'true' }, empty).DEMO).toBe(true);
  });

  it('runs the demo simulator only with demo data, the embedded broker and outside tests, unless asked', () => {
    // Inside Vitest it is off by default, so no other test gets synthetic traffic.
    expect(loadConfig({}, empty).DEMO_SIMULATOR).toBe(false);
    const vitest = process.env.VITEST;
    delete process.env.VITEST;
    try {
      const c = loadConfig({}, empty);
      expect(c.DEMO_SIMULATOR).toBe(true);
      expect(c.demoSimulatorMs).toBe(30_000);
      expect(loadConfig({ DEMO: 'false' }, empty).DEMO_SIMULATOR).toBe(false);
      expect(loadConfig({ MQTT_URL: 'mqtt://broker:1883' }, empty).DEMO_SIMULATOR).toBe(false);
      expect(loadConfig({ DEMO_SIMULATOR: 'false' }, empty).DEMO_SIMULATOR).toBe(false);
      expect(loadConfig({ VITEST: 'true' }, empty).DEMO_SIMULATOR).toBe(false);
    } finally {
      process.env.VITEST = vitest;
    }
    const asked = loadConfig({ DEMO_SIMULATOR: 'true', DEMO_SIMULATOR_INTERVAL: '250ms' }, empty);
    expect(asked.DEMO_SIMULATOR).toBe(true);
    expect(asked.demoSimulatorMs).toBe(250);
    expect(loadConfig({ DEMO_SIMULATOR_INTERVAL: '2m' }, empty).demoSimulatorMs).toBe(120_000);
  });

  it('folds the rollups every minute unless told otherwise', () => {
    expect(loadConfig({}, empty).rollupFoldMs).toBe(60_000);
    expect(loadConfig({ ROLLUP_FOLD_INTERVAL: '5m' }, empty).rollupFoldMs).toBe(300_000);
  });

  it('takes the MQTT share group from the environment, `mueang` by default', () => {
    expect(loadConfig({}, empty).MQTT_SHARE_GROUP).toBe('mueang');
    expect(loadConfig({ MQTT_SHARE_GROUP: 'city-2.ingest_a' }, empty).MQTT_SHARE_GROUP).toBe(
      'city-2.ingest_a',
    );
  });

  it('writes 2 ingest batches at once on 4 MQTT connections by default; the environment changes both', () => {
    expect(loadConfig({}, empty).INGEST_BATCHES_IN_FLIGHT).toBe(2);
    expect(loadConfig({ INGEST_BATCHES_IN_FLIGHT: '4' }, empty).INGEST_BATCHES_IN_FLIGHT).toBe(4);
    expect(loadConfig({}, empty).INGEST_MQTT_CONNECTIONS).toBe(4);
    expect(loadConfig({ INGEST_MQTT_CONNECTIONS: '1' }, empty).INGEST_MQTT_CONNECTIONS).toBe(1);
  });

  it('takes the PostgreSQL pool size from the environment, 10 by default, and refuses 0', () => {
    expect(loadConfig({}, empty).DATABASE_POOL_SIZE).toBe(10);
    expect(loadConfig({ DATABASE_POOL_SIZE: '40' }, empty).DATABASE_POOL_SIZE).toBe(40);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '0' }, empty)).toThrow(ConfigError);
  });

  it("takes PGlite's heap growing percent from the environment, the database's default (30) otherwise", () => {
    expect(loadConfig({}, empty).PGLITE_HEAP_GROWING_PERCENT).toBe(defaultHeapGrowingPercent);
    expect(defaultHeapGrowingPercent).toBe(30);
    expect(loadConfig({ PGLITE_HEAP_GROWING_PERCENT: '0' }, empty).PGLITE_HEAP_GROWING_PERCENT).toBe(0);
    expect(loadConfig({ PGLITE_HEAP_GROWING_PERCENT: '100' }, empty).PGLITE_HEAP_GROWING_PERCENT).toBe(100);
    for (const bad of [
      '-1',
      '-7',
      '1001',
      '1e12',
      'abc',
      '30 --expose-gc',
      "30'; DROP TABLE x",
      '1.5',
      '0x1e',
    ])
      expect(() => loadConfig({ PGLITE_HEAP_GROWING_PERCENT: bad }, empty)).toThrow(ConfigError);
  });

  it('converts and marks explicit values', () => {
    const c = loadConfig(
      { PORT: '8080', MQTT_URL: 'mqtt://broker:1883', PUBLIC_URL: 'https://city.example' },
      empty,
    );
    expect(c.PORT).toBe(8080);
    expect(c.portExplicit).toBe(true);
    expect(c.embeddedBroker).toBe(false);
    expect(c.secureCookies).toBe(true);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['MQTT_URL', 'http://x'],
    // A topic filter's level separators and wildcards would change what the worker subscribes to.
    ['MQTT_SHARE_GROUP', 'a/b'],
    ['MQTT_SHARE_GROUP', 'a+'],
    ['MQTT_SHARE_GROUP', '#'],
    ['INGEST_BATCHES_IN_FLIGHT', '0'],
    ['INGEST_BATCHES_IN_FLIGHT', '17'],
    ['INGEST_MQTT_CONNECTIONS', '0'],
    ['DEMO', 'maybe'],
    ['DEMO_SIMULATOR', 'sometimes'],
    ['DEMO_SIMULATOR_INTERVAL', '10'],
    ['DEMO_SIMULATOR_INTERVAL', '5h'],
    ['DEMO_SIMULATOR_INTERVAL', '50ms'],
    ['DEMO_SIMULATOR_INTERVAL', "1s'; DROP TABLE x"],
    ['ROLLUP_FOLD_INTERVAL', '1h'],
    ['ROLLUP_FOLD_INTERVAL', '10ms'],
    ['LOG_LEVEL', 'loud'],
    ['PUBLIC_URL', 'ftp://x'],
    // What TypeBox's conversion alone would bend into a number (1, 1, 30, 0, 1000).
    ['DATABASE_POOL_SIZE', '1.5'],
    ['DATABASE_POOL_SIZE', 'true'],
    ['PORT', '0x1e'],
    ['BODY_LIMIT', '1e6'],
    ['GRID_EMISSION_FACTOR', 'true'],
    ['GRID_EMISSION_FACTOR', '0x1'],
    ['GRID_EMISSION_FACTOR', '0.4.7'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value }, empty)).toThrowError(ConfigError);
    expect(() => loadConfig({ [name]: value }, empty)).toThrowError(
      new RegExp(`^Invalid configuration: ${name} `),
    );
  });

  it('reads a config file, the environment winning, and rejects unknown keys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mueang-config-'));
    writeFileSync(join(dir, 'mueang.config.json'), JSON.stringify({ PORT: 4000, HOST: '127.0.0.1' }));
    expect(loadConfig({}, dir)).toMatchObject({ PORT: 4000, HOST: '127.0.0.1', portExplicit: true });
    expect(loadConfig({ PORT: '5000' }, dir).PORT).toBe(5000);
    writeFileSync(join(dir, 'mueang.config.json'), JSON.stringify({ PROT: 4000 }));
    expect(() => loadConfig({}, dir)).toThrowError(/PROT/);
    writeFileSync(join(dir, 'mueang.config.json'), '{not json');
    expect(() => loadConfig({}, dir)).toThrowError(/MUEANG_CONFIG/);
  });

  it("takes whole numbers and decimals as written, spaces around them too, and a file's fraction for a whole-number setting is refused", () => {
    expect(loadConfig({ DATABASE_POOL_SIZE: ' 12 ', GRID_EMISSION_FACTOR: '0.5' }, empty)).toMatchObject({
      DATABASE_POOL_SIZE: 12,
      GRID_EMISSION_FACTOR: 0.5,
    });
    expect(loadConfig({ GRID_EMISSION_FACTOR: '5e-1' }, empty).GRID_EMISSION_FACTOR).toBe(0.5);
    const dir = mkdtempSync(join(tmpdir(), 'mueang-config-'));
    writeFileSync(join(dir, 'mueang.config.json'), JSON.stringify({ DATABASE_POOL_SIZE: 1.5 }));
    expect(() => loadConfig({}, dir)).toThrowError(
      /^Invalid configuration: DATABASE_POOL_SIZE must be a whole number/,
    );
    writeFileSync(join(dir, 'mueang.config.json'), JSON.stringify({ DATABASE_POOL_SIZE: true }));
    expect(() => loadConfig({}, dir)).toThrowError(/DATABASE_POOL_SIZE/);
  });

  it('names a missing config file given explicitly', () => {
    expect(() => loadConfig({ MUEANG_CONFIG: 'nope.json' }, empty)).toThrowError(/MUEANG_CONFIG/);
  });
});
