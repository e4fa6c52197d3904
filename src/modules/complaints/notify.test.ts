import { sql } from 'drizzle-orm';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { complaintsModule } from './module.ts';
import { ComplaintsService } from './service.ts';
import { ComplaintsSweeper } from './sweep.ts';

interface Sent {
  to: { address: string }[];
  subject: string;
  text: string;
  messageId: string;
}

let t: TestApp;
const sent: Sent[] = [];
beforeAll(async () => {
  t = await testApp({ modules: [complaintsModule], env: { PUBLIC_URL: 'https://city.example' } });
  const transport = nodemailer.createTransport({ jsonTransport: true });
  const send = transport.sendMail.bind(transport);
  transport.sendMail = (async (m: SendMailOptions) => {
    const info = await send(m);
    sent.push(JSON.parse(info.message as unknown as string));
    return info;
  }) as never;
  t.app.mail.setTransport(transport);
});
afterAll(() => t?.close());
beforeEach(async () => {
  // Whatever earlier steps queued is delivered before each case counts its own mail.
  await t.events.drain();
  sent.length = 0;
});

let ip = 0;
const inCity = { lat: 16.432, lon: 102.823 };
async function file(body: object, headers: Record<string, string> = {}): Promise<string> {
  const res = await t.json({
    method: 'POST',
    url: '/api/complaints/requests',
    payload: { category: 'road-damage', description: 'หลุมบนถนน', ...inCity, ...body },
    headers,
    remoteAddress: `10.9.0.${++ip}`,
  });
  expect(res.status).toBe(201);
  return res.body.reference;
}
async function post(reference: string, what: 'transitions' | 'notes', payload: object) {
  const res = await t.json({
    method: 'POST',
    url: `/api/complaints/requests/${reference}/${what}`,
    headers: await t.signIn('admin'),
    payload,
  });
  expect(res.status).toBeLessThan(300);
}
const to = (m: Sent) => m.to.map((a) => a.address);

describe('notices to the reporter', () => {
  it('emails an anonymous reporter once per status change, in the language they filed in', async () => {
    const reference = await file({ contact: { email: 'Somchai@Example.org' } }, { 'accept-language': 'en' });
    await t.events.drain();
    expect(sent).toHaveLength(0); // filing itself is acknowledged on screen, not by email

    await post(reference, 'transitions', { to: 'accepted', public: true });
    await t.events.drain();
    await t.events.drain();
    expect(sent).toHaveLength(1);
    expect(to(sent[0])).toEqual(['somchai@example.org']);
    expect(sent[0].subject).toBe(`[You Pee] ${reference}: now: accepted`);
    expect(sent[0].text).toContain(`https://city.example/complaints/${reference}`);
    expect(sent[0].text).toContain('Category: Road damage');
    expect(sent[0].text).not.toMatch(/[ก-๙]/); // English only
  });

  it('writes in Thai to a Thai reporter and carries the public note', async () => {
    const reference = await file({ contact: { email: 'nok@example.org' } }, { 'accept-language': 'th' });
    await post(reference, 'transitions', { to: 'accepted', public: true });
    await post(reference, 'transitions', { to: 'in_progress', note: 'ทีมช่างออกไปแล้ว', public: true });
    await t.events.drain();
    expect(sent).toHaveLength(2);
    expect(sent[1].subject).toBe(`[ยูพี (อยู่พี่)] ${reference}: สถานะใหม่: กำลังดำเนินการ`);
    expect(sent[1].text).toContain('ทีมช่างออกไปแล้ว');
    expect(new Set(sent.map((m) => m.messageId)).size).toBe(2);
  });

  it('sends nothing for an internal note or an internal status note, one mail for a public note', async () => {
    const reference = await file({ contact: { email: 'internal@example.org' } });
    await post(reference, 'notes', { note: 'ผู้แจ้งโทรมาบ่อย (ภายใน)', public: false });
    await t.events.drain();
    expect(sent).toHaveLength(0);
    await post(reference, 'notes', { note: 'ได้รับเรื่องแล้ว จะส่งทีมไปตรวจ', public: true });
    await t.events.drain();
    expect(sent).toHaveLength(1);
    expect(sent[0].text).toContain('ได้รับเรื่องแล้ว จะส่งทีมไปตรวจ');
    expect(sent[0].text).not.toContain('ภายใน');
  });

  it('sends nothing to an anonymous reporter who left only a phone number', async () => {
    const reference = await file({ contact: { phone: '0812345678' } });
    await post(reference, 'transitions', { to: 'accepted', public: true });
    expect(await t.events.drain()).toBeGreaterThan(0);
    expect(sent).toHaveLength(0);
  });

  it('writes to a signed-in citizen at their account address, naming no staff member', async () => {
    const reference = await file({}, await t.signIn('citizen'));
    await post(reference, 'transitions', { to: 'rejected', note: 'ซ้ำกับเรื่องอื่น', public: true });
    await t.events.drain();
    expect(sent).toHaveLength(1);
    expect(to(sent[0])).toEqual(['citizen@demo.local']);
    expect(sent[0].text).not.toMatch(/admin|ผู้ดูแลระบบ|@demo\.local/);
  });

  it('does not mail the same complaint event twice when the outbox redelivers it', async () => {
    const reference = await file({ contact: { email: 'twice@example.org' } });
    await post(reference, 'transitions', { to: 'accepted', public: true });
    await t.events.drain();
    expect(sent).toHaveLength(1);
    await t.db.orm.execute(
      sql`UPDATE core_outbox SET delivered_at = NULL, available_at = now() WHERE type = 'complaints.notify'`,
    );
    expect(await t.events.drain()).toBeGreaterThan(0);
    expect(sent).toHaveLength(1);
  });

  it('retries a notice whose sending failed', async () => {
    const reference = await file({ contact: { email: 'retry@example.org' } });
    const failing = nodemailer.createTransport({ jsonTransport: true });
    failing.sendMail = (async () => {
      throw new Error('SMTP down');
    }) as never;
    const working = (t.app.mail as unknown as { transport: unknown }).transport;
    t.app.mail.setTransport(failing);
    try {
      await post(reference, 'transitions', { to: 'accepted', public: true });
      await t.events.drain();
    } finally {
      t.app.mail.setTransport(working as never);
    }
    expect(sent).toHaveLength(0);
    const pending = await t.db.rows<{ error: string }>(
      sql`SELECT last_error AS error FROM core_outbox WHERE delivered_at IS NULL`,
    );
    expect(pending).toHaveLength(1);
    expect(pending[0].error).toContain('SMTP down');
    await t.db.orm.execute(sql`UPDATE core_outbox SET available_at = now() WHERE delivered_at IS NULL`);
    await t.events.drain();
    expect(sent).toHaveLength(1);
    expect(to(sent[0])).toEqual(['retry@example.org']);
  });
});

describe('escalation', () => {
  const service = () => new ComplaintsService(t.db);
  async function escalate(reference: string) {
    const { dueAt } = (await service().repo.byReference(reference))!;
    const later = new Date(new Date(dueAt!).getTime() + 3600_000);
    const sweeper = new ComplaintsSweeper(t.db, service(), t.events, pino({ level: 'silent' }), () => later);
    expect((await sweeper.tick()).escalated).toContain(reference);
    await t.events.drain();
  }

  it('emails the managers of the owning office, once, without the reporter’s contact', async () => {
    const reference = await file({ category: 'other', contact: { email: 'secret@example.org' } });
    await escalate(reference);
    const mine = sent.filter((m) => m.subject.includes(reference));
    expect(mine).toHaveLength(1);
    expect(to(mine[0])).toEqual(['manager@demo.local']);
    expect(mine[0].text).toContain('https://city.example/complaints/queue');
    expect(mine[0].text).not.toContain('secret@example.org');
    expect(mine[0].text).not.toContain('หลุมบนถนน');
    await t.db.orm.execute(
      sql`UPDATE core_outbox SET delivered_at = NULL, available_at = now() WHERE type = 'complaints.escalated'`,
    );
    await t.events.drain();
    expect(sent.filter((m) => m.subject.includes(reference))).toHaveLength(1);
  });

  it('emails the admins when the office has no manager', async () => {
    const reference = await file({ contact: { phone: '0899999999' } });
    await escalate(reference);
    const mine = sent.filter((m) => m.subject.includes(reference));
    expect(mine.map((m) => to(m)[0])).toEqual(['admin@demo.local']);
  });
});
