import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, newPage, seriousViolations } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

describe('the sensor network for staff', () => {
  it('an officer finds a demo sensor on /devices, opens it and sees its latest values and chart', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto('/signin');
    await page.getByLabel(/อีเมล/).fill('officer@demo.local');
    await page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/account');

    await page.getByRole('navigation', { name: /./ }).getByRole('link', { name: 'เซนเซอร์' }).click();
    await page.waitForURL('**/devices');
    await page.getByRole('heading', { name: 'เครือข่ายเซนเซอร์' }).waitFor();
    const link = page.getByRole('link', { name: 'PM2.5 city hall (synthetic)' });
    await link.waitFor();
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'a84041000000c002' }).count()).toBe(1);
    // The demo devices are drawn on the WebGL map (no tile server is reachable here).
    await expect
      .poll(
        async () => Number(await page.getByTestId('map').first().getAttribute('data-rendered-features')),
        {
          timeout: 20_000,
        },
      )
      .toBeGreaterThanOrEqual(5);
    await page.getByRole('heading', { name: 'ข้อความที่บันทึกไม่ได้' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // Filtering by the water profile leaves the drain sensors and drops the air ones.
    // The first: the list's filter (the registration form has its own).
    const profile = page.getByRole('combobox', { name: 'โปรไฟล์' }).first();
    await profile.selectOption({ label: 'Water level, byte layout (synthetic demo)' });
    await page.getByRole('link', { name: 'Drain level, north canal (synthetic)' }).waitFor();
    await expect.poll(() => link.count()).toBe(0);
    await profile.selectOption({ label: 'ทั้งหมด' });

    await link.click();
    await page.waitForURL('**/devices/*');
    await expect
      .poll(() => page.getByTestId('device-name').textContent())
      .toBe('PM2.5 city hall (synthetic)');
    const latest = page.getByRole('table', { name: 'ค่าล่าสุด' });
    await latest.waitFor();
    const pm25 = latest.getByRole('row').filter({ hasText: 'pm25' });
    await expect.poll(() => pm25.textContent()).toContain('µg/m³');
    const chart = page.getByTestId('chart');
    await chart.waitFor();
    await expect.poll(() => chart.locator('path').count()).toBeGreaterThan(0);
    expect(await chart.getAttribute('aria-label')).toContain('PM2.5 city hall (synthetic)');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/device.png', fullPage: true });

    // Another period: a window of 30 days, then whole days picked (Thailand time), then a wrong order.
    const shown = page.getByTestId('readings-range');
    const before = await shown.textContent();
    const period = page.getByRole('combobox', { name: 'แสดงค่าที่วัดได้ในช่วง' });
    await period.selectOption({ label: '30 วันล่าสุด' });
    await page.getByRole('heading', { name: '30 วันล่าสุด' }).waitFor();
    await expect.poll(() => shown.textContent()).not.toBe(before);
    await expect.poll(() => chart.getAttribute('aria-label')).toContain('30 วันล่าสุด');
    await period.selectOption({ label: 'เลือกวันเอง' });
    const first = page.getByLabel('วันแรก');
    const last = page.getByLabel('วันสุดท้าย (รวมวันนี้ด้วย)');
    await first.waitFor();
    const today = await last.inputValue();
    await first.fill(today);
    // One whole Bangkok day: shown from its midnight, in the Buddhist Era.
    await expect.poll(() => shown.textContent()).toContain('00:00');
    await expect.poll(() => shown.textContent()).toContain(String(Number(today.slice(0, 4)) + 543));
    expect(await seriousViolations(page)).toEqual([]);
    await last.fill('2020-01-01');
    await page.getByRole('alert').filter({ hasText: 'วันสุดท้ายต้องไม่อยู่ก่อนวันแรก' }).waitFor();
    expect(await last.getAttribute('aria-invalid')).toBe('true');
    await context.close();
  });

  it('an officer registers a device by the form, imports a CSV with one bad row and reads the report', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto('/signin');
    await page.getByLabel(/อีเมล/).fill('officer@demo.local');
    await page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/account');
    await page.goto('/devices');
    const form = page.getByTestId('new-device-form');
    await form.waitFor();

    // Sent empty: every required field says so beside itself, announced, and nothing is registered.
    await page.getByTestId('new-device-submit').click();
    await expect
      .poll(() => form.getByRole('alert').filter({ hasText: 'จำเป็นต้องกรอก' }).count())
      .toBeGreaterThanOrEqual(4);
    expect(await form.getByLabel('DevEUI').getAttribute('aria-invalid')).toBe('true');

    const eui = `e2e0${Date.now().toString(16).slice(-12).padStart(12, '0')}`;
    await form.getByLabel('DevEUI').fill(eui);
    await form.getByLabel('ชื่อ').fill('Form drain (synthetic)');
    await page
      .getByTestId('new-device-profile')
      .selectOption({ label: 'Water level, byte layout (synthetic demo)' });
    // A place outside the municipality is refused by the server, beside the longitude.
    await form.getByLabel('ลองจิจูด').fill('100.5');
    await form.getByLabel('ละติจูด').fill('13.75');
    await page.getByTestId('new-device-submit').click();
    await form.getByRole('alert').getByText('ตำแหน่งนี้อยู่นอกเขตเทศบาล').waitFor();
    await form.getByLabel('ลองจิจูด').fill('102.8355');
    await form.getByLabel('ละติจูด').fill('16.4305');
    await form.getByLabel('แท็ก').fill('drain e2e');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('new-device-submit').click();
    await page.getByRole('link', { name: 'Form drain (synthetic)' }).waitFor();

    const water = '"Water level, byte layout (synthetic demo)"';
    const csv = [
      'devEui,name,profile,lon,lat,tags',
      `${eui.slice(0, 12)}aaa1,CSV drain 1 (synthetic),${water},102.836,16.431,csv`,
      `${eui},CSV duplicate (synthetic),${water},102.836,16.431,csv`,
    ].join('\n');
    await page
      .getByTestId('device-import-file')
      .setInputFiles({ name: 'devices.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const status = page.getByTestId('device-import-status');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 20_000 }).toBe('done');
    const report = page.getByRole('table', { name: 'แถวที่ไม่ได้นำเข้า' });
    const bad = report.getByRole('row').filter({ hasText: 'devEui' });
    // Said in Thai, with the DevEUI it names.
    await expect.poll(() => bad.textContent()).toContain('ลงทะเบียนไว้แล้ว');
    expect(await bad.textContent()).toContain(eui.toLowerCase());
    expect(await bad.textContent()).toContain('3');
    expect(await status.textContent()).toContain('นำเข้าอุปกรณ์ 1 รายการ');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/device-forms.png', fullPage: true });
    await context.close();
  });

  it('an office manager adds a byte-layout profile by the form, with errors beside the bad cells', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto('/signin');
    await page.getByLabel(/อีเมล/).fill('manager@demo.local');
    await page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/account');
    await page.goto('/devices');
    const form = page.getByTestId('profile-form');
    await form.waitFor();
    const name = `E2E drain ${Date.now()} (synthetic)`;
    await form.getByLabel('ชื่อโปรไฟล์').fill(name);
    await form.getByLabel('ตัวถอดรหัส').selectOption('bytes');
    await form.getByRole('button', { name: 'เพิ่มแถว' }).first().click();
    await form.getByLabel('ฟิลด์, แถว 1').first().fill('level');
    await form.getByLabel('ความยาว (ไบต์), แถว 1').fill('8');
    await form.getByRole('button', { name: 'เพิ่มโปรไฟล์' }).click();
    await form.getByRole('alert').getByText('1 ถึง 4 ไบต์').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await form.getByLabel('ความยาว (ไบต์), แถว 1').fill('2');
    await form.getByLabel('ตัวคูณ, แถว 1').fill('0.01');
    await form.getByRole('button', { name: 'เพิ่มโปรไฟล์' }).click();
    // Saved: the picker now names it, and the list's profile filter offers it.
    await expect
      .poll(() => page.getByTestId('profile-pick').locator('option', { hasText: name }).count())
      .toBe(1);
    await context.close();
  });
});
