import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, newPage, seriousViolations } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

async function signIn(page: Page, email: string) {
  await page.goto('/signin');
  await page.getByLabel(/อีเมล/).fill(email);
  await page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL('**/account');
}

const gauge = 'มาตรวัดฝนศาลาว่าการเทศบาล (ข้อมูลสังเคราะห์)';
type Levels = { id: string; nameTh: string; watch: number; warning: number; critical: number };

describe('flood register for staff', () => {
  it('an administrator changes a rain gauge’s critical level, after being told levels must rise', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await signIn(page, 'admin@demo.local');
    await page.goto('/flood');
    await page.getByRole('link', { name: 'เจ้าหน้าที่: แก้ไขสถานี ระดับ และศูนย์พักพิง' }).click();
    await page.waitForURL('**/flood/register');
    await page.getByRole('heading', { level: 1, name: 'ทะเบียนเตือนภัยน้ำท่วม' }).waitFor();
    const stations = () =>
      page.evaluate(async () => (await (await fetch('/api/flood/stations')).json()) as Levels[]);
    const original = (await stations()).find((s) => s.nameTh === gauge)!;

    await page.getByRole('button', { name: `แก้ไข ${gauge}` }).click();
    const form = page.getByTestId('station-form');
    await form.waitFor();
    const warning = form.getByLabel(/^เตือนภัย/);
    expect(Number(await warning.inputValue())).toBe(original.warning);
    // Levels that do not rise are refused before sending, next to the field.
    await warning.fill(String(original.watch - 1));
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    await form.getByText('ต้องสูงกว่าระดับก่อนหน้า').waitFor();
    expect(await warning.getAttribute('aria-invalid')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);

    await warning.fill(String(original.warning));
    await form.getByLabel(/^วิกฤต/).fill(String(original.critical + 10));
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    await page.getByText(`บันทึกแล้ว: ${gauge}`).waitFor();
    await form.waitFor({ state: 'detached' });
    const row = page.getByRole('row').filter({ hasText: gauge });
    await expect
      .poll(() => row.textContent())
      .toContain(`${(original.critical + 10).toLocaleString('th')} mm`);
    const saved = (await stations()).find((s) => s.id === original.id)!;
    expect(saved).toMatchObject({
      watch: original.watch,
      warning: original.warning,
      critical: original.critical + 10,
    });
    await page.screenshot({ path: 'test-results/flood-register.png', fullPage: true });

    // Put the demo's level back, so other journeys see the demo as seeded.
    await page.getByRole('button', { name: `แก้ไข ${gauge}` }).click();
    await form.getByLabel(/^วิกฤต/).fill(String(original.critical));
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    await form.waitFor({ state: 'detached' });
    expect((await stations()).find((s) => s.id === original.id)!.critical).toBe(original.critical);

    // Adding a shelter: the form says what is missing before sending, beside each field.
    await page.getByRole('button', { name: 'เพิ่มศูนย์พักพิงหรือจุดอพยพ' }).click();
    const shelter = page.getByTestId('shelter-form');
    await shelter.getByRole('button', { name: 'เพิ่ม', exact: true }).click();
    await expect.poll(() => shelter.getByText('จำเป็นต้องกรอก').count()).toBeGreaterThanOrEqual(5);
    expect(await shelter.getByLabel('หน่วยงานเจ้าของ').getAttribute('aria-invalid')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('an administrator removes a shelter after confirming; the removal is audited', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await signIn(page, 'admin@demo.local');
    await page.goto('/flood/register');
    await page.getByRole('heading', { level: 1, name: 'ทะเบียนเตือนภัยน้ำท่วม' }).waitFor();
    const name = 'จุดอพยพทดลองลบ (ข้อมูลสังเคราะห์)';
    // A shelter of its own, beside a demo one, so the demo's shelters stay as seeded.
    const id = await page.evaluate(async (name) => {
      const { csrfToken } = (await (await fetch('/api/me')).json()) as { csrfToken: string };
      const [near] = (await (await fetch('/api/flood/shelters')).json()) as {
        officeId: string;
        location: { lat: number; lon: number };
      }[];
      const res = await fetch('/api/flood/shelters', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
        body: JSON.stringify({
          kind: 'evacuation_point',
          nameTh: name,
          nameEn: 'Evacuation point to remove (synthetic)',
          location: near.location,
          capacity: 10,
          officeId: near.officeId,
        }),
      });
      return ((await res.json()) as { id: string }).id;
    }, name);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await page.reload();
    await page.getByRole('button', { name: `ลบ ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: `ลบ ${name} หรือไม่?` });
    await dialog.waitFor();
    expect(await dialog.getByRole('paragraph').first().innerText()).toContain('ย้อนกลับไม่ได้');
    expect(await seriousViolations(page)).toEqual([]);
    // Escape cancels, as a dialog should.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByRole('button', { name: `ลบ ${name}` }).count()).toBe(1);

    await page.getByRole('button', { name: `ลบ ${name}` }).click();
    await dialog.getByRole('button', { name: 'ลบออกจากทะเบียน' }).click();
    await page.getByText(`ลบแล้ว: ${name}`).waitFor();
    await expect.poll(() => page.getByRole('button', { name: `ลบ ${name}` }).count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('ศูนย์พักพิงและจุดอพยพ');
    const after = await page.evaluate(async (s) => {
      const res = await fetch(`/api/flood/shelters/${s}`);
      const audit = (await (await fetch('/api/audit?action=flood.shelter.delete&limit=50')).json()) as {
        items: { resourceId: string | null }[];
      };
      return { status: res.status, audited: audit.items.some((i) => i.resourceId === s) };
    }, id);
    expect(after).toEqual({ status: 404, audited: true });
    await context.close();
  });
});
