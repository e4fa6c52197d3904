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

const school = 'โรงเรียนเทศบาลวัดกลาง (ข้อมูลสังเคราะห์)';

describe('energy register for staff', () => {
  it('an administrator changes a building’s floor area and moves its pin on the map', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await signIn(page, 'admin@demo.local');
    await page.goto('/energy');
    await page.getByRole('link', { name: 'เจ้าหน้าที่: แก้ไขอาคาร ระบบโซลาร์ และมิเตอร์' }).click();
    await page.waitForURL('**/energy/register');
    await page.getByRole('heading', { level: 1, name: 'ทะเบียนพลังงาน' }).waitFor();
    await page.getByRole('button', { name: `แก้ไข ${school}` }).click();
    const form = page.getByTestId('building-form');
    await form.waitFor();
    // The form's heading takes the keyboard, so the change of context is announced.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H2');
    type Row = { id: string; nameTh: string; floorAreaM2: number; location: { lon: number; lat: number } };
    const original = await page.evaluate(
      async (name) =>
        ((await (await fetch('/api/energy/buildings')).json()) as Row[]).find((b) => b.nameTh === name)!,
      school,
    );
    const id = original.id;

    await form.getByLabel('พื้นที่ใช้สอยรวม (ตร.ม.)').fill('0');
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    await form.getByText('ตัวเลขที่มากกว่าศูนย์').waitFor();
    await form.getByLabel('พื้นที่ใช้สอยรวม (ตร.ม.)').fill('4321');

    // A click on the map moves the pin; the fields follow and say where it now is.
    const latitude = form.getByLabel('ละติจูด');
    const before = await latitude.inputValue();
    const map = form.getByTestId('map');
    await expect
      .poll(async () => Number(await map.getAttribute('data-rendered-features')), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(1);
    await map.scrollIntoViewIfNeeded();
    const box = (await map.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2 + 20, box.y + box.height / 2 + 20);
    await expect.poll(() => latitude.inputValue()).not.toBe(before);
    await expect.poll(() => form.getByTestId('place-where').innerText()).toMatch(/^อยู่ใน/);
    const lat = Number(await latitude.inputValue());
    const lon = Number(await form.getByLabel('ลองจิจูด').inputValue());
    expect(await seriousViolations(page)).toEqual([]);

    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    await page.getByText(`บันทึกแล้ว: ${school}`).waitFor();
    const saved = await page.evaluate(
      async (b) => (await (await fetch(`/api/energy/buildings/${b}`)).json()) as { building: unknown },
      id,
    );
    expect(saved.building).toMatchObject({ floorAreaM2: 4321, location: { lat, lon } });
    await page.screenshot({ path: 'test-results/energy-register.png', fullPage: true });

    // The public green-building page shows the new floor area.
    await page.goto(`/energy/buildings/${id}`);
    await expect.poll(() => page.getByTestId('building-facts').textContent()).toContain('4,321 m²');

    // Put the demo building back as seeded, so other journeys see the demo as it was.
    const restored = await page.evaluate(async (b) => {
      const { csrfToken } = (await (await fetch('/api/me')).json()) as { csrfToken: string };
      const res = await fetch(`/api/energy/buildings/${b.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
        body: JSON.stringify({ floorAreaM2: b.floorAreaM2, location: b.location }),
      });
      return res.status;
    }, original);
    expect(restored).toBe(200);
    await context.close();
  });

  it('the clerk’s officer is told the building belongs to another office', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await signIn(page, 'officer@demo.local');
    await page.goto('/energy/register');
    await page.getByRole('button', { name: `แก้ไข ${school}` }).click();
    const form = page.getByTestId('building-form');
    await form.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
    await form.getByRole('alert').filter({ hasText: 'อาคารนี้อยู่ในความดูแลของหน่วยงานอื่น' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('an administrator removes an installation, then its building, each after confirming', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await signIn(page, 'admin@demo.local');
    await page.goto('/energy/register');
    await page.getByRole('heading', { level: 1, name: 'ทะเบียนพลังงาน' }).waitFor();
    const name = 'อาคารทดลองลบ (ข้อมูลสังเคราะห์)';
    // A building of its own with one meter, so the demo's buildings stay as seeded.
    const id = await page.evaluate(
      async ({ name, school }) => {
        const { csrfToken } = (await (await fetch('/api/me')).json()) as { csrfToken: string };
        const headers = { 'content-type': 'application/json', 'x-csrf-token': csrfToken };
        const list = (await (await fetch('/api/energy/buildings')).json()) as {
          nameTh: string;
          officeId: string;
          location: { lat: number; lon: number };
        }[];
        const near = list.find((b) => b.nameTh === school)!;
        const b = (await (
          await fetch('/api/energy/buildings', {
            method: 'POST',
            headers,
            body: JSON.stringify({
              nameTh: name,
              nameEn: 'Building to remove (synthetic)',
              officeId: near.officeId,
              location: near.location,
              floorAreaM2: 100,
              kind: 'other',
            }),
          })
        ).json()) as { id: string };
        await fetch(`/api/energy/buildings/${b.id}/installations`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ kind: 'meter', name: 'มิเตอร์ทดลองลบ' }),
        });
        return b.id;
      },
      { name, school },
    );
    await page.reload();
    await page.getByRole('button', { name: `แก้ไข ${name}` }).click();

    // The meter first: the dialog asks, "keep it" changes nothing.
    await page.getByRole('button', { name: 'ลบ มิเตอร์ทดลองลบ' }).click();
    const dialog = page.getByRole('dialog', { name: 'ลบ มิเตอร์ทดลองลบ หรือไม่?' });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('ไม่ลบ');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'ไม่ลบ' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'ลบ มิเตอร์ทดลองลบ' }).click();
    const gone = page.waitForResponse((r) => r.request().method() === 'DELETE');
    await dialog.getByRole('button', { name: 'ลบออกจากทะเบียน' }).click();
    expect((await gone).status()).toBe(204);
    await page.getByText('ลบแล้ว: มิเตอร์ทดลองลบ').waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'ลบ มิเตอร์ทดลองลบ' }).count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('ระบบที่ติดตั้ง');

    // Then the building, from its row in the list.
    await page.getByRole('button', { name: `ลบ ${name}` }).click();
    await page
      .getByRole('dialog', { name: `ลบ ${name} หรือไม่?` })
      .getByRole('button', { name: 'ลบออกจากทะเบียน' })
      .click();
    await page.getByText(`ลบแล้ว: ${name}`).waitFor();
    await expect.poll(() => page.getByRole('button', { name: `แก้ไข ${name}` }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    const after = await page.evaluate(async (b) => {
      const res = await fetch(`/api/energy/buildings/${b}`);
      const audit = (await (await fetch('/api/audit?action=energy.building.delete&limit=50')).json()) as {
        items: { resourceId: string | null }[];
      };
      return { status: res.status, audited: audit.items.some((i) => i.resourceId === b) };
    }, id);
    expect(after).toEqual({ status: 404, audited: true });
    await context.close();
  });
});
