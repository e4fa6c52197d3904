import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { quartersDue } from './assessment.ts';
import { bangkokDay } from './late.ts';
import { qrPng } from './promptpay.ts';

let t: TestApp;
let png: string;
beforeAll(async () => {
  t = await testApp();
  png = (await qrPng('a real PNG image', 64)).toString('base64');
});
afterAll(() => t?.close());

const sign = (photos: { contentType: string; data: string }[]) => ({
  widthCm: 300,
  heightCm: 100,
  type: 2,
  moving: false,
  text: 'ร้านข้าวมันไก่ KHON KAEN',
  location: { lon: 102.83, lat: 16.43 },
  photos,
});

describe('signboard declaration (ภ.ป.1)', () => {
  it('lets a citizen declare a sign with a photo; an officer accepts it and it is assessed', async () => {
    const citizen = await t.signIn('citizen');
    // Put up today: declared within its 15 days, so no late-filing surcharge (filing.test.ts).
    const res = await t.json({
      method: 'POST',
      url: '/api/tax/declarations',
      headers: citizen,
      payload: { ...sign([{ contentType: 'image/png', data: png }]), installedOn: bangkokDay() },
    });
    expect(res.status).toBe(201);
    const [row] = await t.db.rows<{ photos: string[]; status: string }>(
      sql`SELECT photos, status FROM tax_signs WHERE id = ${res.body.id}`,
    );
    expect(row.status).toBe('declared');
    expect(existsSync(join(t.config.DATA_DIR, 'uploads/tax', row.photos[0]))).toBe(true);
    const mine = await t.json({ method: 'GET', url: '/api/tax/declarations/mine', headers: citizen });
    expect(mine.body.map((d: { id: string }) => d.id)).toContain(res.body.id);

    const revenue = await t.signInAs('revenue@demo.local');
    const waiting = await t.json({ method: 'GET', url: '/api/tax/declarations', headers: revenue });
    expect(waiting.body.some((d: { id: string }) => d.id === res.body.id)).toBe(true);
    const before = await t.json({ method: 'POST', url: '/api/tax/assessments/2569', headers: revenue });
    expect(before.body.billsIssued).toBe(0);
    expect(
      (await t.json({ method: 'POST', url: `/api/tax/declarations/${res.body.id}/accept`, headers: revenue }))
        .body.status,
    ).toBe('registered');
    const after = await t.json({ method: 'POST', url: '/api/tax/assessments/2569', headers: revenue });
    expect(after.body.billsIssued).toBe(1);
    // 300 × 100 cm = 60 units × 26 baht (type 2, static), for the quarters left of 2569 when put up today.
    const due = ((1_560 * quartersDue(2569, bangkokDay())) / 4).toFixed(2);
    const bills = await t.json({ method: 'GET', url: '/api/tax/mine', headers: citizen });
    expect(bills.body.some((b: { amountBaht: string }) => b.amountBaht === due)).toBe(true);
  });

  it('refuses a file that is not the image it claims, too many photos, and a citizen without a national ID', async () => {
    const citizen = await t.signIn('citizen');
    const fake = await t.json({
      method: 'POST',
      url: '/api/tax/declarations',
      headers: citizen,
      payload: sign([
        {
          contentType: 'image/jpeg',
          data: Buffer.from('<?php system($_GET["c"]); ?> padding').toString('base64'),
        },
      ]),
    });
    expect(fake.status).toBe(400);
    expect(fake.body.code).toBe('photo.not_image');
    const many = await t.json({
      method: 'POST',
      url: '/api/tax/declarations',
      headers: citizen,
      payload: sign(Array(6).fill({ contentType: 'image/png', data: png })),
    });
    expect(many.status).toBe(400);
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: {
        displayName: 'No ID',
        email: 'noid@example.org',
        password: 'a long password',
        consent: true,
      },
    });
    const noId = await t.json({
      method: 'POST',
      url: '/api/tax/declarations',
      headers: await t.signInAs('noid@example.org', 'a long password'),
      payload: sign([{ contentType: 'image/png', data: png }]),
    });
    expect(noId.body.code).toBe('tax.national_id_required');
    const staff = await t.json({
      method: 'POST',
      url: '/api/tax/declarations',
      headers: await t.signIn('officer'),
      payload: sign([]),
    });
    expect(staff.status).toBe(403);
  });
});

describe('reviewing declarations', () => {
  it('keeps photo metadata out, shows photos to the declarant and finance staff only, and lets an officer refuse with a reason', async () => {
    const citizen = await t.signIn('citizen');
    // A PNG carrying a text chunk with the owner's name and a GPS position.
    const clean = Buffer.from(png, 'base64');
    const body = Buffer.from('Comment\0GPS 16.4312N home of Somchai', 'latin1');
    const text = Buffer.alloc(body.length + 12);
    text.writeUInt32BE(body.length, 0);
    text.write('tEXt', 4, 'latin1');
    body.copy(text, 8);
    const dirty = Buffer.concat([clean.subarray(0, 33), text, clean.subarray(33)]);
    const res = await t.json({
      method: 'POST',
      url: '/api/tax/declarations',
      headers: citizen,
      payload: sign([{ contentType: 'image/png', data: dirty.toString('base64') }]),
    });
    expect(res.status).toBe(201);
    const id = res.body.id;

    const own = await t.app.inject({
      method: 'GET',
      url: `/api/tax/declarations/${id}/photos/1`,
      headers: citizen,
    });
    expect(own.statusCode).toBe(200);
    // Re-encoded from pixels: a JPEG with none of the upload's chunks.
    expect(own.headers['content-type']).toBe('image/jpeg');
    expect(own.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(own.rawPayload.toString('latin1')).not.toMatch(/Somchai|GPS/);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/tax/declarations/${id}/photos/2`, headers: citizen }))
        .statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/tax/declarations/${id}/photos/9`, headers: citizen }))
        .statusCode,
    ).toBe(400);

    const revenue = await t.signInAs('revenue@demo.local');
    const staff = await t.app.inject({
      method: 'GET',
      url: `/api/tax/declarations/${id}/photos/1`,
      headers: revenue,
    });
    expect(staff.statusCode).toBe(200);
    const audited = await t.db.rows(
      sql`SELECT 1 FROM core_audit_log WHERE action = 'tax.sign.photo.read' AND resource_id = ${id}`,
    );
    // The declarant's own read above and the staff read; the refused reads (404, 400) left none.
    expect(audited).toHaveLength(2);
    const officer = await t.app.inject({
      method: 'GET',
      url: `/api/tax/declarations/${id}/photos/1`,
      headers: await t.signIn('officer'),
    });
    expect(officer.statusCode).toBe(403);

    // A damaged image is refused, not stored.
    const broken = await t.json({
      method: 'POST',
      url: '/api/tax/declarations',
      headers: citizen,
      payload: sign([{ contentType: 'image/png', data: clean.subarray(0, 40).toString('base64') }]),
    });
    expect(broken.status).toBe(400);
    expect(broken.body.code).toBe('photo.damaged');

    const blank = await t.json({
      method: 'POST',
      url: `/api/tax/declarations/${id}/reject`,
      headers: revenue,
      payload: { reason: '   ' },
    });
    expect(blank.status).toBe(400);
    const reason = 'ขนาดป้ายไม่ตรงกับรูปถ่าย <script>alert(1)</script>';
    const rejected = await t.json({
      method: 'POST',
      url: `/api/tax/declarations/${id}/reject`,
      headers: revenue,
      payload: { reason },
    });
    expect(rejected.body).toEqual({ id, status: 'rejected' });
    // Once decided, neither accept nor reject applies again.
    expect(
      (await t.json({ method: 'POST', url: `/api/tax/declarations/${id}/accept`, headers: revenue })).status,
    ).toBe(404);
    expect(
      (
        await t.json({
          method: 'POST',
          url: `/api/tax/declarations/${id}/reject`,
          headers: revenue,
          payload: { reason: 'again' },
        })
      ).status,
    ).toBe(404);
    const mine = await t.json({ method: 'GET', url: '/api/tax/declarations/mine', headers: citizen });
    expect(mine.body.find((d: { id: string }) => d.id === id)).toMatchObject({
      status: 'rejected',
      reviewNote: reason,
      photos: 1,
    });
    const clerk = await t.json({
      method: 'POST',
      url: `/api/tax/declarations/${id}/reject`,
      headers: citizen,
      payload: { reason: 'mine' },
    });
    expect(clerk.status).toBe(403);
  });
});
