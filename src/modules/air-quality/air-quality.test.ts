import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { airQualityModule } from './module.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ modules: [airQualityModule], seed: false });
});
afterAll(() => t?.close());

const aqi = (query: string, headers: Record<string, string> = {}) =>
  t.json({ method: 'GET', url: `/api/air-quality/aqi?${query}`, headers });

describe('GET /api/air-quality/aqi', () => {
  it('answers anonymous callers with the Thai index by default', async () => {
    const res = await aqi('pm25=37.5&pm10=40');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      scale: 'th',
      aqi: 100,
      dominant: 'pm25',
      band: { key: 'moderate', colour: '#FFFF00', name: { th: 'ปานกลาง', en: 'Moderate' } },
      beyondScale: false,
    });
    expect(res.body.advice.th).toContain('ประชาชนทั่วไป');
    expect(res.body.subIndices).toHaveLength(2);
  });

  it('gives the US index on scale=us', async () => {
    const res = await aqi('scale=us&pm25=55.5&o3=40');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ scale: 'us', aqi: 151, dominant: 'pm25', band: { key: 'unhealthy' } });
  });

  it('refuses a request without any pollutant with a problem', async () => {
    const res = await aqi('scale=th', { 'accept-language': 'en' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('air_quality.pollutant_required');
    expect(res.body.title).toBe('Give at least one pollutant concentration');
  });

  it.each([
    ['negative', 'pm25=-1'],
    ['not a number', 'pm25=abc'],
    ['NaN', 'pm25=NaN'],
    ['Infinity', 'pm25=Infinity'],
    ['absurd PM2.5', 'pm25=1e9'],
    ['absurd CO', 'co=100000'],
    ['unknown scale', 'scale=eu&pm25=10'],
    ['unknown parameter', 'pm25=10&lead=3'],
    ['injection string', `pm25=${encodeURIComponent("10'; DROP TABLE core_audit_log;--")}`],
    ['script string', `scale=${encodeURIComponent('<script>alert(1)</script>')}&pm25=10`],
    ['empty value', 'pm25='],
    ['repeated value', 'pm25=10&pm25=20'],
  ])('refuses %s with 400', async (_name, query) => {
    const res = await aqi(query);
    expect(res.status).toBe(400);
    expect(res.body.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toContain('<script>');
  });

  it('refuses US 8-hour O3 beyond the EPA table with its own code', async () => {
    const res = await aqi('scale=us&o3=250');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('air_quality.beyond_table');
    expect(res.body.detail).toBe(
      'ตาราง EPA ของสหรัฐฯ ไม่มีค่า O3 เฉลี่ย 8 ชั่วโมงที่เกิน 200 ppb (ต้องใช้ค่า O3 เฉลี่ย 1 ชั่วโมง)',
    );
    const en = await aqi('scale=us&o3=250', { 'accept-language': 'en' });
    expect(en.body.detail).toBe('US 8-hour O3 above 200 ppb is not in the EPA table (1-hour O3 is needed)');
  });

  it('indexes a Thai value above the open-ended red band and says so', async () => {
    const res = await aqi('pm25=100');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ aqi: 267, beyondScale: true, band: { key: 'affects-health' } });
    expect(res.body.subIndices[0]).toMatchObject({ pollutant: 'pm25', extrapolated: true, averaging: '24h' });
  });

  it('is documented in OpenAPI with its query parameters', async () => {
    const doc = await t.json({ method: 'GET', url: '/api/docs/json' });
    const names = doc.body.paths['/api/air-quality/aqi'].get.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['scale', 'pm25', 'pm10', 'o3', 'co', 'no2', 'so2']));
  });
});
