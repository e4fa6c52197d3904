import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, launch, newPage, seriousViolations } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

async function signIn(page: Page, email: string, lands = '**/account') {
  await page.goto('/signin');
  await page.getByLabel(/อีเมล/).fill(email);
  await page.getByLabel(/รหัสผ่าน/).fill('mueang-demo');
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL(lands);
}

describe('You Pee: staff moderate the public text', () => {
  it('the clerk’s officer edits and approves a citizen’s text with the keyboard, and the public sees it', async () => {
    // A citizen reports something for the clerk's office ("other"), with a phone number in it.
    const citizen = await newPage(browser);
    const login = await citizen.context.request.post(`${baseUrl()}/api/auth/login`, {
      data: { email: 'citizen@demo.local', password: 'mueang-demo' },
    });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const filed = await citizen.context.request.post(`${baseUrl()}/api/complaints/requests`, {
      headers: { 'x-csrf-token': csrfToken },
      data: {
        category: 'other',
        description: 'ต้นไม้ล้มขวางทางเท้า ติดต่อ 081-555-1234 นายสมชาย บ้านเลขที่ 9',
        lat: 16.431,
        lon: 102.824,
      },
    });
    expect(filed.status()).toBe(201);
    const reference = ((await filed.json()) as { reference: string }).reference;

    // The citizen may not open the moderation page.
    await citizen.page.goto('/complaints/moderation');
    await citizen.page.getByRole('alert').filter({ hasText: 'การตรวจข้อความสำหรับเจ้าหน้าที่' }).waitFor();
    expect(await citizen.page.getByTestId('moderation-item').count()).toBe(0);

    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await signIn(page, 'officer@demo.local');
    await page.goto('/complaints/queue');
    await page.getByRole('link', { name: 'ตรวจข้อความสาธารณะที่รอตรวจ' }).click();
    await page.waitForURL('**/complaints/moderation');
    await page.getByRole('heading', { level: 1, name: 'ข้อความสาธารณะที่รอตรวจ' }).waitFor();
    const item = page.getByRole('article', { name: new RegExp(reference) });
    await item.waitFor();
    // Staff read what the citizen wrote; the suggested public text has the phone masked.
    expect(await item.getByTestId('moderation-original').innerText()).toContain('081-555-1234');
    const text = item.getByLabel('ข้อความสาธารณะ');
    expect(await text.inputValue()).toBe('ต้นไม้ล้มขวางทางเท้า ติดต่อ [phone] นายสมชาย บ้านเลขที่ 9');
    expect(await seriousViolations(page)).toEqual([]);

    // The name and house number are personal too: the officer cuts them, then approves with the keyboard.
    await text.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('ต้นไม้ล้มขวางทางเท้า');
    await page.keyboard.press('Tab');
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '');
    expect(await focused()).toBe('อนุมัติข้อความที่แก้ไข');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Enter');
    await page.getByText(`${reference}: อนุมัติข้อความแล้ว`).waitFor();
    await item.waitFor({ state: 'detached' });
    // The decided request is gone, so the keyboard is put back on the list's summary.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'moderation-count',
    );
    await page.screenshot({ path: 'test-results/complaints-moderation.png', fullPage: true });

    // Anyone sees the approved text on the public list, and nothing of what was cut.
    const visitor = await newPage(browser);
    await visitor.page.goto('/complaints/public');
    await visitor.page.getByLabel('ประเภท', { exact: true }).selectOption('other');
    const row = visitor.page.getByRole('row').filter({ hasText: reference });
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain('ต้นไม้ล้มขวางทางเท้า');
    expect(await row.textContent()).not.toContain('สมชาย');
    expect(await visitor.page.content()).not.toContain('081-555-1234');
    for (const c of [citizen.context, context, visitor.context]) await c.close();
  });

  it('the officer finds an approved text in the decided list and puts it back in the queue', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await signIn(page, 'officer@demo.local');
    // A report for the clerk's office, approved through the API as the officer.
    const reference = await page.evaluate(async () => {
      const { csrfToken } = (await (await fetch('/api/me')).json()) as { csrfToken: string };
      const headers = { 'content-type': 'application/json', 'x-csrf-token': csrfToken };
      // Filed by a citizen who is not signed in (the officer's cookie is left out).
      const filed = await fetch('/api/complaints/requests', {
        method: 'POST',
        credentials: 'omit',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          category: 'other',
          description: 'ป้ายบอกทางล้ม',
          lat: 16.431,
          lon: 102.824,
          contact: { phone: '0812345678' },
        }),
      });
      const { reference } = (await filed.json()) as { reference: string };
      await fetch(`/api/complaints/moderation/${reference}`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ action: 'approve' }),
      });
      return reference;
    });
    await page.goto('/complaints/moderation');
    await page.getByTestId('moderation-count').waitFor();
    const heading = page.getByRole('heading', { level: 1 });
    expect(await heading.innerText()).toBe('ข้อความสาธารณะที่รอตรวจ');
    await page.getByRole('radio', { name: 'อนุมัติแล้ว' }).check();
    // The heading follows the filter: the list is no longer what waits for review.
    await expect.poll(() => heading.innerText()).toBe('ข้อความสาธารณะที่อนุมัติแล้ว');
    const item = page.getByRole('article', { name: new RegExp(reference) });
    await item.waitFor();
    expect(await item.getByTestId('moderated-public').innerText()).toBe('ป้ายบอกทางล้ม');
    expect(await item.innerText()).toMatch(/อนุมัติเมื่อ .+ โดย /);
    expect(await page.getByTestId('moderation-count').innerText()).toMatch(/^อนุมัติแล้ว \d+ เรื่อง/);
    expect(await seriousViolations(page)).toEqual([]);

    await item.getByRole('button', { name: 'ส่งกลับไปรอตรวจ (ยกเลิกการตัดสิน)' }).click();
    await page.getByText(`${reference}: ส่งกลับไปรอตรวจแล้ว`).waitFor();
    await item.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'moderation-count',
    );
    // The public page shows the text no more, and the request waits in the queue again.
    const publicView = await page.evaluate(
      async (r) =>
        (
          (await (await fetch(`/api/complaints/requests/${r}`, { credentials: 'omit' })).json()) as {
            description: string;
          }
        ).description,
      reference,
    );
    expect(publicView).toBe('');
    await page.getByRole('radio', { name: 'รอตรวจ' }).check();
    await page.getByRole('article', { name: new RegExp(reference) }).waitFor();
    expect(await heading.innerText()).toBe('ข้อความสาธารณะที่รอตรวจ');

    // The same screen in English.
    await page.evaluate(() => localStorage.setItem('mueang.lang', 'en'));
    await page.reload();
    await page.getByRole('radio', { name: 'Hidden' }).check();
    await page.getByRole('group', { name: 'Show' }).waitFor();
    await expect.poll(() => heading.innerText()).toBe('Hidden public text');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
