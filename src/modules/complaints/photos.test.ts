import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../core/audit/audit.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { complaintsModule } from './module.ts';
import { photosDir } from './photos.ts';

let t: TestApp;
let engineer: Record<string, string>;
let citizen: Record<string, string>;
let other: Record<string, string>;
let jpeg: string;
let dir: string;
beforeAll(async () => {
  t = await testApp({ modules: [complaintsModule] });
  dir = photosDir(t.config.DATA_DIR);
  const [office] = await t.db.rows<{ id: string }>(
    sql`SELECT id FROM core_offices WHERE code = 'engineering'`,
  );
  await t.app.auth.createAccount(
    {
      displayName: 'ช่าง',
      email: 'engineer@test.local',
      password: 'a long password',
      role: 'officer',
      officeId: office.id,
    },
    systemActor,
  );
  engineer = await t.signInAs('engineer@test.local', 'a long password');
  citizen = await t.signIn('citizen');
  await t.app.inject({
    method: 'POST',
    url: '/api/auth/signup',
    payload: { displayName: 'Other', email: 'other@example.org', password: 'a long password', consent: true },
  });
  other = await t.signInAs('other@example.org', 'a long password');
  // A phone photo: taken sideways (orientation 6) with the place it was taken.
  jpeg = (
    await sharp({ create: { width: 60, height: 30, channels: 3, background: '#884422' } })
      .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '16/1 25/1 52/1' } })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer()
  ).toString('base64');
});
afterAll(() => t?.close());

const inCity = { lat: 16.432, lon: 102.823 };
const files = () => (existsSync(dir) ? readdirSync(dir) : []);
const report = (photos: object[], headers = citizen) =>
  t.json({
    method: 'POST',
    url: '/api/complaints/requests',
    headers,
    payload: { category: 'road-damage', description: 'หลุมบ่อหน้าบ้าน', ...inCity, photos },
  });

describe('complaint photos', () => {
  it('files a report with photos, shows them to the reporter and the office, not to others', async () => {
    const res = await report([{ contentType: 'image/jpeg', data: jpeg }, { data: jpeg }]);
    expect(res.status).toBe(201);
    expect(res.body.photos).toHaveLength(2);
    const [first] = res.body.photos;
    expect(first).toMatchObject({ kind: 'report', width: 30, height: 60 });
    // Written before the 201.
    expect(files()).toHaveLength(2);
    const url = `/api/complaints/requests/${res.body.reference}/photos/${first.id}`;

    const own = await t.app.inject({ method: 'GET', url, headers: citizen });
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(own.rawPayload).metadata();
    expect([meta.width, meta.height, meta.exif]).toEqual([30, 60, undefined]);
    expect(own.rawPayload.toString('latin1')).not.toContain('GPS');

    const staff = await t.app.inject({ method: 'GET', url, headers: engineer });
    expect(staff.statusCode).toBe(200);
    expect(
      await t.db.rows(
        sql`SELECT 1 FROM core_audit_log WHERE action = 'complaints.photo.read' AND resource_id = ${res.body.reference}`,
      ),
    ).toHaveLength(1);
    expect((await t.app.inject({ method: 'GET', url, headers: other })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    // Not in the public view, nor the nearby list.
    const anonymous = await t.json({ method: 'GET', url: `/api/complaints/requests/${res.body.reference}` });
    expect(anonymous.body.photos).toBeUndefined();
    // Another request's photo id under this reference is not found.
    const wrong = `/api/complaints/requests/KK-2569-999999/photos/${first.id}`;
    expect((await t.app.inject({ method: 'GET', url: wrong, headers: engineer })).statusCode).toBe(404);

    const queue = await t.json({ method: 'GET', url: '/api/complaints/queue', headers: engineer });
    const item = queue.body.items.find((i: { reference: string }) => i.reference === res.body.reference);
    expect(item.photos.map((p: { id: string }) => p.id)).toEqual(
      res.body.photos.map((p: { id: string }) => p.id),
    );
  });

  it('takes "after" photos from staff with a status change or a note', async () => {
    const res = await report([]);
    expect(res.body.photos).toEqual([]);
    const ref = res.body.reference;
    const moved = await t.json({
      method: 'POST',
      url: `/api/complaints/requests/${ref}/transitions`,
      headers: engineer,
      payload: { to: 'accepted', photos: [{ data: jpeg }] },
    });
    expect(moved.status).toBe(200);
    const noted = await t.json({
      method: 'POST',
      url: `/api/complaints/requests/${ref}/notes`,
      headers: engineer,
      payload: { note: 'ซ่อมแล้ว', public: true, photos: [{ data: jpeg }] },
    });
    expect(noted.status).toBe(201);
    const seen = await t.json({ method: 'GET', url: `/api/complaints/requests/${ref}`, headers: citizen });
    expect(seen.body.photos.map((p: { kind: string }) => p.kind)).toEqual(['after', 'after']);
    // Staff of another office may not add photos: refused inside the transaction, after the
    // files were written, and the files are removed again.
    const before = files().length;
    const forbidden = await t.json({
      method: 'POST',
      url: `/api/complaints/requests/${ref}/notes`,
      headers: await t.signIn('officer'),
      payload: { note: 'x', public: false, photos: [{ data: jpeg }] },
    });
    expect(forbidden.status).toBe(403);
    expect(files()).toHaveLength(before);
  });

  it('refuses bad photos with problem details and stores nothing of the report', async () => {
    const before = files().length;
    const count = async () =>
      (await t.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM complaints_requests`))[0].n;
    const requests = await count();

    const text = await report([
      { contentType: 'image/jpeg', data: Buffer.from('just some text, not a JPEG').toString('base64') },
    ]);
    expect(text.status).toBe(400);
    expect(text.headers['content-type']).toContain('application/problem+json');
    expect(text.body.code).toBe('photo.not_image');

    const half = await report([{ data: jpeg }, { data: jpeg }, { data: jpeg.slice(0, 200) }]);
    expect(half.status).toBe(400);
    expect(half.body.code).toBe('photo.damaged');
    expect(half.body.detail).toBe('ใช้รูปที่ 3 ไม่ได้');
    expect(half.body.errors[0]).toMatchObject({ path: '/photos/2', message: 'ไฟล์รูปภาพเสียหาย' });
    const halfEn = await report([{ data: jpeg }, { data: jpeg }, { data: jpeg.slice(0, 200) }], {
      ...citizen,
      'accept-language': 'en',
    });
    expect(halfEn.body.detail).toBe('photo 3 cannot be used');
    expect(halfEn.body.errors[0]).toMatchObject({ path: '/photos/2', message: 'the image file is damaged' });

    const six = await report(Array(6).fill({ data: jpeg }));
    expect(six.status).toBe(400);

    const huge = await report([{ data: 'A'.repeat(17_000_000) }]);
    expect([400, 413]).toContain(huge.status);

    const bomb = (
      await sharp({ create: { width: 8000, height: 8000, channels: 3, background: '#fff' } })
        .png({ compressionLevel: 9 })
        .toBuffer()
    ).toString('base64');
    const bombed = await report([{ data: bomb }]);
    expect(bombed.status).toBe(400);
    expect(bombed.body.code).toBe('photo.too_many_pixels');

    // Good photos on a report refused for another reason: no file either.
    const unknown = await t.json({
      method: 'POST',
      url: '/api/complaints/requests',
      headers: citizen,
      payload: { category: 'no-such-category', description: 'x', ...inCity, photos: [{ data: jpeg }] },
    });
    expect(unknown.status).toBe(400);

    expect(files()).toHaveLength(before);
    expect(await count()).toBe(requests);
    expect((await t.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM complaints_photos`))[0].n).toBe(
      before,
    );
  });

  it('has a file on disk for every photo row', async () => {
    const rows = await t.db.rows<{ file: string }>(sql`SELECT file FROM complaints_photos`);
    for (const r of rows) expect(existsSync(join(dir, r.file))).toBe(true);
  });
});
