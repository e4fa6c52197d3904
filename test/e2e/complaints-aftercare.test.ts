import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, launch, newPage, phone, seriousViolations } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

/** Signs the context in through the API; its pages share the session cookie. Returns the CSRF token. */
async function signIn(context: BrowserContext, email: string): Promise<string> {
  const res = await context.request.post(`${baseUrl()}/api/auth/login`, {
    data: { email, password: 'mueang-demo' },
  });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { csrfToken: string }).csrfToken;
}

describe('You Pee (อยู่พี่): resolved, then rated', () => {
  it('staff resolve a report from the queue; the citizen sees it resolved and rates it', async () => {
    const citizen = await newPage(browser, phone);
    const citizenCsrf = await signIn(citizen.context, 'citizen@demo.local');
    const filed = await citizen.context.request.post(`${baseUrl()}/api/complaints/requests`, {
      headers: { 'x-csrf-token': citizenCsrf },
      data: { category: 'other', description: 'ป้ายรถเมล์ชำรุด', lat: 16.432, lon: 102.823 },
    });
    expect(filed.status()).toBe(201);
    const ref = ((await filed.json()) as { reference: string }).reference;

    // "Other" complaints belong to the clerk's office, where officer@demo.local works.
    const staff = await newPage(browser, phone);
    const staffCsrf = await signIn(staff.context, 'officer@demo.local');
    for (const to of ['accepted', 'in_progress'])
      expect(
        (
          await staff.context.request.post(`${baseUrl()}/api/complaints/requests/${ref}/transitions`, {
            headers: { 'x-csrf-token': staffCsrf },
            data: { to },
          })
        ).status(),
      ).toBe(200);
    await staff.page.goto('/complaints/queue');
    await staff.page.getByLabel('สถานะ', { exact: true }).selectOption('in_progress');
    await staff.page.getByLabel('ประเภทเรื่อง').selectOption('other');
    await staff.page.getByRole('button', { name: ref }).click();
    const work = staff.page.getByTestId('queue-request');
    await work.getByTestId('queue-reference').waitFor();
    expect(await seriousViolations(staff.page)).toEqual([]);
    const move = work.getByTestId('queue-move');
    await move.getByLabel('สถานะใหม่').selectOption('resolved');
    await move.getByLabel('บันทึก', { exact: true }).fill('ซ่อมป้ายเรียบร้อยแล้ว');
    await move.getByLabel(/ผู้แจ้งเห็นบันทึกนี้/).check();
    await move.getByRole('button', { name: 'เปลี่ยนสถานะ' }).click();
    await expect.poll(() => work.getByTestId('queue-status').innerText()).toBe('แก้ไขแล้ว');
    await staff.context.close();

    await citizen.page.goto(`/complaints/${ref}`);
    await citizen.page.getByTestId('status-history').waitFor();
    expect(await citizen.page.getByTestId('status-current').innerText()).toBe('แก้ไขแล้ว');
    expect(await citizen.page.getByTestId('status-history').innerText()).toContain('ซ่อมป้ายเรียบร้อยแล้ว');
    const rate = citizen.page.getByTestId('status-rate');
    // Sent without a choice, the form says so beside the stars.
    await rate.getByRole('button', { name: 'ส่งคะแนน' }).click();
    await rate.getByText('กรุณาเลือกคะแนน 1 ถึง 5').waitFor();
    expect(await seriousViolations(citizen.page)).toEqual([]);
    await rate.getByLabel('4 – ดี').check();
    await rate.getByLabel('ความคิดเห็น (ไม่บังคับ)').fill('เร็วดี ขอบคุณ');
    await rate.getByRole('button', { name: 'ส่งคะแนน' }).click();
    await citizen.page.getByTestId('status-rating').waitFor();
    expect(await citizen.page.getByTestId('status-rating').innerText()).toContain('4');
    // Reopening is still offered within the 14 days.
    expect(await citizen.page.getByTestId('status-reopen').count()).toBe(1);
    expect(await seriousViolations(citizen.page)).toEqual([]);
    await citizen.context.close();
  });
});
