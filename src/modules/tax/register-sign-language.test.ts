import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { qrPng } from './promptpay.ts';
import { taxTestApp, thaiId } from './testing.ts';

const app = taxTestApp();
let ownerId = '';
let png = '';
beforeAll(async () => {
  png = (await qrPng('a sign photo', 64)).toString('base64');
  const owner = await app.t.json({
    method: 'POST',
    url: '/api/tax/owners',
    headers: app.revenue,
    payload: { kind: 'person', taxId: thaiId('310990099001'), name: 'นางป้าย ภาษา' },
  });
  expect(owner.status).toBe(201);
  ownerId = owner.body.id;
});

const en = () => ({ ...app.revenue, 'accept-language': 'en' });
const newSign = (extra: Record<string, unknown>) =>
  app.t.json({
    method: 'POST',
    url: '/api/tax/signs',
    headers: en(),
    payload: { ownerId, widthCm: 100, heightCm: 50, moving: false, text: 'ป้าย', ...extra },
  });
const open = (id: string) =>
  app.t.json({ method: 'GET', url: `/api/tax/register/signs/${id}`, headers: app.revenue });

describe("a sign's text language gives its type (Signboard Tax Act s. 6)", () => {
  it('derives the type from the language, accepts both when they agree, refuses them when they do not', async () => {
    for (const [textLanguage, type] of [
      ['thai-only', 1],
      ['thai-mixed', 2],
      ['no-thai-or-thai-below', 3],
    ] as const) {
      const res = await newSign({ textLanguage });
      expect(res.status).toBe(201);
      const got = await open(res.body.id);
      expect([got.body.textLanguage, got.body.type]).toEqual([textLanguage, type]);
      expect((await newSign({ textLanguage, type })).status).toBe(201);
    }
    const wrong = await newSign({ textLanguage: 'thai-only', type: 3 });
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('tax.sign_type_language');
    expect(wrong.body.errors[0]).toMatchObject({ path: '/type' });
    expect(wrong.body.errors[0].message).toContain('type 1');
    const neither = await newSign({});
    expect(neither.status).toBe(400);
    expect(neither.body.errors[0].path).toBe('/textLanguage');
    expect((await newSign({ textLanguage: 'english' })).status).toBe(400);
    // A type alone (as before) still registers, and its language is the one the type stands for.
    const typeOnly = await newSign({ type: 2 });
    expect((await open(typeOnly.body.id)).body.textLanguage).toBe('thai-mixed');
  });

  it('corrects the language (the type follows), refuses a disagreeing pair, audits before and after', async () => {
    const made = await newSign({ textLanguage: 'thai-only' });
    const id = made.body.id;
    const patch = (payload: object) =>
      app.t.json({ method: 'PATCH', url: `/api/tax/register/signs/${id}`, headers: en(), payload });
    const bad = await patch({ version: 1, textLanguage: 'thai-mixed', type: 1 });
    expect(bad.status).toBe(422);
    expect((await open(id)).body.version).toBe(1);
    const ok = await patch({ version: 1, textLanguage: 'no-thai-or-thai-below' });
    expect(ok.body.version).toBe(2);
    expect((await open(id)).body).toMatchObject({ type: 3, textLanguage: 'no-thai-or-thai-below' });
    // Changing the type alone changes the language with it.
    expect((await patch({ version: 2, type: 2 })).body.version).toBe(3);
    expect((await open(id)).body.textLanguage).toBe('thai-mixed');
    const audits = await app.t.db.rows<{ detail: Record<string, Record<string, unknown>> }>(
      sql`SELECT detail FROM core_audit_log WHERE action = 'tax.sign.update' AND resource_id = ${id} ORDER BY id`,
    );
    expect(audits.map((a) => [a.detail.before, a.detail.after])).toEqual([
      [
        { type: 1, textLanguage: 'thai-only' },
        { type: 3, textLanguage: 'no-thai-or-thai-below' },
      ],
      [
        { type: 3, textLanguage: 'no-thai-or-thai-below' },
        { type: 2, textLanguage: 'thai-mixed' },
      ],
    ]);
  });

  it('imports a textLanguage column; a row whose type disagrees, or with neither, is reported', async () => {
    const owner = thaiId('310990099002');
    const csv = [
      'ownerTaxId,ownerKind,ownerName,widthCm,heightCm,textLanguage,type,moving,text',
      `${owner},person,นายนำเข้า ป้าย,100,50,thai-mixed,,false,ร้าน A SHOP`,
      `${owner},person,นายนำเข้า ป้าย,100,50,no-thai-or-thai-below,3,false,SHOP`,
      `${owner},person,นายนำเข้า ป้าย,100,50,thai-only,2,false,ร้านไทย`,
      `${owner},person,นายนำเข้า ป้าย,100,50,,,false,ว่าง`,
      `${owner},person,นายนำเข้า ป้าย,100,50,klingon,,false,ว่าง`,
    ].join('\n');
    const status = await app.importFile('signs', csv);
    expect(status.imported).toBe(2);
    expect(status.errors.map((e: { line: number; code: string }) => [e.line, e.code])).toEqual([
      [4, 'sign_type_language'],
      [5, 'sign_language_required'],
      [6, 'invalid'],
    ]);
    const rows = await app.t.db.rows<{ text: string; type: number }>(
      sql`SELECT s.text_content AS text, s.sign_type AS type FROM tax_signs s JOIN tax_owners o ON o.id = s.owner_id
        WHERE o.tax_id = ${owner} ORDER BY s.text_content`,
    );
    expect(rows).toEqual([
      { text: 'SHOP', type: 3 },
      { text: 'ร้าน A SHOP', type: 2 },
    ]);
  });

  it('lets a citizen declare (ภ.ป.1) by language; a disagreeing type is refused', async () => {
    const citizen = await app.t.signIn('citizen');
    const declare = (extra: object) =>
      app.t.json({
        method: 'POST',
        url: '/api/tax/declarations',
        headers: citizen,
        payload: {
          widthCm: 120,
          heightCm: 60,
          moving: false,
          text: 'SHOP ร้าน',
          photos: [{ contentType: 'image/png', data: png }],
          ...extra,
        },
      });
    const ok = await declare({ textLanguage: 'no-thai-or-thai-below' });
    expect(ok.status).toBe(201);
    const [row] = await app.t.db.rows<{ type: number; lang: string }>(
      sql`SELECT sign_type AS type, text_language AS lang FROM tax_signs WHERE id = ${ok.body.id}`,
    );
    expect(row).toEqual({ type: 3, lang: 'no-thai-or-thai-below' });
    expect((await declare({ textLanguage: 'thai-only', type: 2 })).status).toBe(422);
  });
});

describe('photos of registered and imported signs', () => {
  it('adds photos with the version read, serves them to finance staff, audits both; stale, bad and too many refused', async () => {
    const made = await newSign({ textLanguage: 'thai-only' });
    const id = made.body.id;
    const url = `/api/tax/register/signs/${id}/photos`;
    const add = (payload: object, headers: Record<string, string> = en()) =>
      app.t.json({ method: 'POST', url, headers, payload });
    const ok = await add({ version: 1, photos: [{ contentType: 'image/png', data: png }] });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ id, version: 2, photos: 1 });
    expect((await open(id)).body.photos).toBe(1);
    const stale = await add({ version: 1, photos: [{ contentType: 'image/png', data: png }] });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('tax.edit_stale');
    const fake = await add({
      version: 2,
      photos: [{ contentType: 'image/jpeg', data: Buffer.from('<?php echo 1; ?>').toString('base64') }],
    });
    expect(fake.status).toBe(400);
    expect(fake.body.code).toBe('photo.not_image');
    // Over 12 MB: refused by the body's schema before any decoding.
    const big = await add({
      version: 2,
      photos: [{ contentType: 'image/jpeg', data: Buffer.alloc(13 * 1024 * 1024, 7).toString('base64') }],
    });
    expect(big.status).toBe(400);
    expect(big.body.errors[0].path).toContain('/photos/0/data');
    const full = await add({ version: 2, photos: Array(5).fill({ contentType: 'image/png', data: png }) });
    expect(full.status).toBe(422);
    expect(full.body.code).toBe('tax.sign_photos_full');
    // Nothing of the refused uploads was kept.
    const [row] = await app.t.db.rows<{ photos: string[]; version: number }>(
      sql`SELECT photos, version FROM tax_signs WHERE id = ${id}`,
    );
    expect(row.version).toBe(2);
    expect(row.photos).toHaveLength(1);
    expect(existsSync(join(app.t.config.DATA_DIR, 'uploads/tax', row.photos[0]))).toBe(true);

    const read = await app.t.app.inject({ method: 'GET', url: `${url}/1`, headers: app.revenue });
    expect(read.statusCode).toBe(200);
    expect(read.headers['content-type']).toBe('image/jpeg');
    expect(read.headers['cache-control']).toBe('private, no-store');
    expect(
      (await app.t.app.inject({ method: 'GET', url: `${url}/2`, headers: app.revenue })).statusCode,
    ).toBe(404);
    const citizen = await app.t.signIn('citizen');
    expect((await app.t.app.inject({ method: 'GET', url: `${url}/1`, headers: citizen })).statusCode).toBe(
      403,
    );
    expect((await add({ version: 2, photos: [{ data: png }] }, citizen)).status).toBe(403);
    const audits = await app.t.db.rows<{ action: string; detail: Record<string, number> }>(
      sql`SELECT action, detail FROM core_audit_log WHERE resource_id = ${id} AND action LIKE 'tax.sign.photo%' ORDER BY id`,
    );
    expect(audits).toEqual([
      { action: 'tax.sign.photos.add', detail: { added: 1, photos: 1, version: 2 } },
      { action: 'tax.sign.photo.read', detail: { n: 1 } },
    ]);
  });

  it('answers 404 for photos of a sign that does not exist', async () => {
    const res = await app.t.json({
      method: 'POST',
      url: '/api/tax/register/signs/00000000-0000-4000-8000-000000000000/photos',
      headers: app.revenue,
      payload: { version: 1, photos: [{ data: png }] },
    });
    expect(res.status).toBe(404);
  });
});
