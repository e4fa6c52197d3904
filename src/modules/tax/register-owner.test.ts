import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { taxTestApp, thaiId } from './testing.ts';

const tax = taxTestApp();
const mistyped = thaiId('310990088001');
const rightId = thaiId('310990088002');
const company = thaiId('010555088003');
let ownerId = '';
let companyId = '';
let signId = '';

const patch = (id: string, payload: unknown, headers = tax.revenue) =>
  tax.t.json({ method: 'PATCH', url: `/api/tax/register/owners/${id}`, headers, payload: payload as object });
const open = (id: string, headers = tax.revenue) =>
  tax.t.json({ method: 'GET', url: `/api/tax/register/owners/${id}`, headers });
const audited = (action: string, id: string) =>
  tax.t.db.rows<{ detail: { before: Record<string, unknown>; after: Record<string, unknown> } | null }>(
    sql`SELECT detail FROM core_audit_log WHERE action = ${action} AND resource_id = ${id} ORDER BY at`,
  );

describe('finance staff correct an owner', () => {
  it('opens an owner with the address and what they hold; the read is audited', async () => {
    for (const [kind, taxId, name] of [
      ['person', mistyped, 'นางสะกด ผิด'],
      ['juristic', company, 'บริษัท เจ้าของ จำกัด'],
    ]) {
      const res = await tax.t.json({
        method: 'POST',
        url: '/api/tax/owners',
        headers: tax.revenue,
        payload: { kind, taxId, name, address: '1 ถนนมิตรภาพ' },
      });
      expect(res.status).toBe(201);
      if (kind === 'person') ownerId = res.body.id;
      else companyId = res.body.id;
    }
    const sign = await tax.t.json({
      method: 'POST',
      url: '/api/tax/signs',
      headers: tax.revenue,
      payload: { ownerId, widthCm: 200, heightCm: 100, type: 1, moving: false, text: 'ร้านเจ้าของ' },
    });
    expect(sign.status).toBe(201);
    signId = sign.body.id;
    const res = await open(ownerId);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: ownerId,
      version: 1,
      kind: 'person',
      taxId: mistyped,
      name: 'นางสะกด ผิด',
      address: '1 ถนนมิตรภาพ',
      parcels: 0,
      signs: 1,
    });
    expect(await audited('tax.owner.read', ownerId)).toHaveLength(1);
    expect((await open('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await open("1' OR '1'='1")).status).toBe(400);
  });

  it('corrects the name and address, audited before and after; the sign shows the new name', async () => {
    const res = await patch(ownerId, { version: 1, name: '  นางสะกด ถูก  ', address: '99 ถนนศรีจันทร์' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: ownerId, version: 2 });
    expect((await open(ownerId)).body).toMatchObject({
      version: 2,
      name: 'นางสะกด ถูก',
      address: '99 ถนนศรีจันทร์',
    });
    const sign = await tax.t.json({
      method: 'GET',
      url: `/api/tax/register/signs/${signId}`,
      headers: tax.revenue,
    });
    expect(sign.body.owner).toMatchObject({ id: ownerId, name: 'นางสะกด ถูก' });
    const [entry] = await audited('tax.owner.update', ownerId);
    expect(entry.detail).toMatchObject({
      before: { name: 'นางสะกด ผิด', address: '1 ถนนมิตรภาพ' },
      after: { name: 'นางสะกด ถูก', address: '99 ถนนศรีจันทร์' },
      version: 2,
    });
    // Fields left as they were are not in the audit's difference.
    expect(entry.detail?.after).not.toHaveProperty('taxId');
  });

  it('refuses an edit made from a stale copy with a 409 problem in Thai and English', async () => {
    const res = await patch(ownerId, { version: 1, name: 'เก่า' });
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('tax.edit_stale');
    expect(res.body.detail).toContain('ฉบับที่ 2');
    const en = await patch(ownerId, { version: 1, name: 'old' }, { ...tax.revenue, 'accept-language': 'en' });
    expect(en.body.detail).toBe('changed by someone else since it was read: now at version 2; open it again');
    expect((await open(ownerId)).body.name).toBe('นางสะกด ถูก');
  });

  it('lets one of two edits from the same copy through, and refuses the other', async () => {
    const [a, b] = await Promise.all([
      patch(ownerId, { version: 2, address: 'หนึ่ง' }),
      patch(ownerId, { version: 2, address: 'สอง' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const now = (await open(ownerId)).body;
    expect(now).toMatchObject({ version: 3, address: a.status === 200 ? 'หนึ่ง' : 'สอง' });
  });

  it("corrects a mistyped ID: the citizen whose ID it is then sees the owner's bills", async () => {
    await tax.t.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: {
        displayName: 'สะกด ถูก',
        email: 'owner-fix@example.org',
        password: 'a long password',
        nationalId: rightId,
        consent: true,
      },
    });
    const citizen = await tax.t.signInAs('owner-fix@example.org', 'a long password');
    const run = await tax.t.json({ method: 'POST', url: '/api/tax/assessments/2569', headers: tax.revenue });
    expect(run.status).toBeLessThan(300);
    const mine = () => tax.t.json({ method: 'GET', url: '/api/tax/mine', headers: citizen });
    expect((await mine()).body).toEqual([]);
    const res = await patch(ownerId, { version: 3, taxId: rightId });
    expect(res.status).toBe(200);
    const bills = (await mine()).body;
    expect(bills).toHaveLength(1);
    expect(bills[0]).toMatchObject({ taxKind: 'sign', ownerName: 'นางสะกด ถูก' });
    const entries = await audited('tax.owner.update', ownerId);
    expect(entries.at(-1)?.detail).toMatchObject({ before: { taxId: mistyped }, after: { taxId: rightId } });
  });

  it("refuses an ID with a wrong check digit, and another owner's ID, beside the field", async () => {
    const wrong = await patch(ownerId, { version: 4, taxId: '1234567890122' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('tax.tax_id_invalid');
    expect(wrong.body.errors).toEqual([expect.objectContaining({ path: '/taxId' })]);
    const taken = await patch(
      ownerId,
      { version: 4, taxId: company },
      { ...tax.revenue, 'accept-language': 'en' },
    );
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({
      code: 'tax.tax_id_taken',
      title: 'Another owner in the register has this ID',
      errors: [
        { path: '/taxId', message: "another owner's ID: move the parcels or signs to that owner instead" },
      ],
    });
    const th = await patch(ownerId, { version: 4, taxId: company });
    expect(th.body.title).toBe('เลขประจำตัวนี้เป็นของเจ้าของอีกรายในทะเบียนแล้ว');
    expect((await open(ownerId)).body).toMatchObject({ version: 4, taxId: rightId });
  });

  it('refuses ugly input with 400 problems and writes nothing', async () => {
    const before = (await open(ownerId)).body;
    const cases: [unknown, string, string?][] = [
      [{ version: 4, name: 123 }, 'request.invalid', '/name'],
      [{ version: 4, name: '' }, 'request.invalid', '/name'],
      [{ version: 4, name: '   ' }, 'request.invalid', '/name'],
      [{ version: 4, name: 'A'.repeat(10_000) }, 'request.invalid', '/name'],
      [{ version: 4, address: 'A'.repeat(1001) }, 'request.invalid', '/address'],
      [{ version: 4, address: { street: 'x' } }, 'request.invalid', '/address'],
      [{ version: 4, kind: 'robot' }, 'request.invalid', '/kind'],
      [{ version: 4, taxId: 1234567890123 }, 'request.invalid', '/taxId'],
      [{ version: 4, taxId: "1' OR '1'='1" }, 'request.invalid', '/taxId'],
      [{ version: 4, taxId: '१२३४५६७८९०१२३' }, 'request.invalid', '/taxId'],
      [{ version: 'two', name: 'x' }, 'request.invalid'],
      [{ version: 0, name: 'x' }, 'request.invalid'],
      [{ name: 'x' }, 'request.invalid'], // no version
      [{ version: 4 }, 'request.invalid'], // nothing to change
      [{ version: 4, id: companyId }, 'request.invalid'], // not editable
      [[{ version: 4, name: 'x' }], 'request.invalid'],
    ];
    for (const [payload, code, path] of cases) {
      const res = await patch(ownerId, payload);
      const label = JSON.stringify(payload).slice(0, 60);
      expect([label, res.status, res.body.code]).toEqual([label, 400, code]);
      // Schema errors name the body's field (`/body/name`), the editor's own checks the field (`/name`).
      if (path)
        expect(res.body.errors?.map((e: { path: string }) => e.path.replace(/^\/body/, ''))).toContain(path);
    }
    // A 10,000-character Thai name is 30,000 bytes: over the body limit.
    expect((await patch(ownerId, { version: 4, name: 'ก'.repeat(10_000) })).status).toBe(413);
    expect((await open(ownerId)).body).toEqual(before);
  });

  it('keeps injection strings as text', async () => {
    const name = "Robert'); DROP TABLE tax_owners; --";
    const address = '<script>alert(1)</script> {{7*7}} %s %n';
    const res = await patch(ownerId, { version: 4, name, address });
    expect(res.status).toBe(200);
    expect((await open(ownerId)).body).toMatchObject({ name, address });
    const found = await tax.t.json({
      method: 'GET',
      url: `/api/tax/register/signs?q=${encodeURIComponent("Robert');")}`,
      headers: tax.revenue,
    });
    expect(found.body.items.map((s: { id: string }) => s.id)).toEqual([signId]);
  });

  it('changes the kind and clears the address; an edit that changes nothing writes nothing', async () => {
    const res = await patch(companyId, { version: 1, kind: 'person', address: null });
    expect(res.status).toBe(200);
    expect((await open(companyId)).body).toMatchObject({ version: 2, kind: 'person', address: null });
    const same = await patch(companyId, { version: 2, kind: 'person', name: 'บริษัท เจ้าของ จำกัด' });
    expect(same.body).toEqual({ id: companyId, version: 2 });
    expect(await audited('tax.owner.update', companyId)).toHaveLength(1);
  });

  it('registering an owner whose ID is in the register already is a 409 beside the ID', async () => {
    const res = await tax.t.json({
      method: 'POST',
      url: '/api/tax/owners',
      headers: { ...tax.revenue, 'accept-language': 'en' },
      payload: { kind: 'juristic', taxId: company, name: 'ซ้ำ' },
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'resource.conflict',
      errors: [{ path: '/taxId', message: 'an owner with this ID exists' }],
    });
  });

  it('two owners corrected to one new ID at once: one is saved, the other is a 409, never a 500', async () => {
    const ids: string[] = [];
    for (const stem of ['310990088010', '310990088011']) {
      const res = await tax.t.json({
        method: 'POST',
        url: '/api/tax/owners',
        headers: tax.revenue,
        payload: { kind: 'person', taxId: thaiId(stem), name: `คู่แข่ง ${stem}` },
      });
      ids.push(res.body.id);
    }
    const target = thaiId('310990088012');
    const answers = await Promise.all(ids.map((id) => patch(id, { version: 1, taxId: target })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    // Whichever way the second lost (the service's check, or the unique index under PostgreSQL's
    // concurrency), it is a conflict problem.
    const lost = answers.find((a) => a.status === 409);
    expect(['tax.tax_id_taken', 'resource.conflict']).toContain(lost?.body.code);
    const holders = await tax.t.db.rows(sql`SELECT id FROM tax_owners WHERE tax_id = ${target}`);
    expect(holders).toHaveLength(1);
  });

  it('is for finance staff: executives only read, other offices and citizens are refused', async () => {
    const executive = await tax.t.signIn('executive');
    expect((await open(ownerId, executive)).status).toBe(200);
    expect((await patch(ownerId, { version: 5, name: 'x' }, executive)).status).toBe(403);
    const officer = await tax.t.signIn('officer'); // an officer of another office
    expect((await open(ownerId, officer)).status).toBe(403);
    expect((await patch(ownerId, { version: 5, name: 'x' }, officer)).status).toBe(403);
    const citizen = await tax.t.signIn('citizen');
    expect((await open(ownerId, citizen)).status).toBe(403);
    expect((await patch(ownerId, { version: 5, name: 'x' }, citizen)).status).toBe(403);
    const anonymous = await tax.t.json({
      method: 'PATCH',
      url: `/api/tax/register/owners/${ownerId}`,
      payload: { version: 5, name: 'x' },
    });
    expect(anonymous.status).toBe(401);
    expect((await patch('00000000-0000-4000-8000-000000000000', { version: 1, name: 'x' })).status).toBe(404);
    expect((await open(ownerId)).body.name).toBe("Robert'); DROP TABLE tax_owners; --");
  });
});
