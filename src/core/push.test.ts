import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { loadConfig } from './config.ts';
import { AppError } from './errors.ts';
import { checkKeys, loadVapidKeys, WebPush } from './push.ts';
import { TestBrowser, testPushService, verifyVapid } from './testing/push.ts';

const dataDir = () => mkdtempSync(join(tmpdir(), 'mueang-push-'));
const config = (env: Record<string, string> = {}) => loadConfig({ DATA_DIR: dataDir(), ...env }, tmpdir());

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return (e as AppError).code;
  }
  throw new Error('not refused');
}

describe('VAPID keys', () => {
  it('are generated once under DATA_DIR (private to the owner) and the same after a restart', async () => {
    const dir = dataDir();
    const first = await loadVapidKeys({ DATA_DIR: dir });
    expect(first.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
    expect(statSync(join(dir, 'vapid.json')).mode & 0o777).toBe(0o600);
    const again = await new WebPush(loadConfig({ DATA_DIR: dir }, tmpdir())).vapid();
    expect(again).toEqual(first);
  });

  it('come from the configuration when set, which must hold a matching pair', async () => {
    const pair = webpush.generateVAPIDKeys();
    const c = config({ VAPID_PUBLIC_KEY: pair.publicKey, VAPID_PRIVATE_KEY: pair.privateKey });
    expect(await new WebPush(c).publicKey()).toBe(pair.publicKey);
    const other = webpush.generateVAPIDKeys();
    await expect(
      loadVapidKeys({
        DATA_DIR: dataDir(),
        VAPID_PUBLIC_KEY: other.publicKey,
        VAPID_PRIVATE_KEY: pair.privateKey,
      }),
    ).rejects.toThrow(/does not belong/);
    expect(() => config({ VAPID_PUBLIC_KEY: pair.publicKey })).toThrow(/VAPID_PRIVATE_KEY/);
    expect(() => config({ VAPID_PUBLIC_KEY: 'short', VAPID_PRIVATE_KEY: pair.privateKey })).toThrow(
      /VAPID_PUBLIC_KEY/,
    );
    expect(() => config({ VAPID_SUBJECT: 'http://city.example' })).toThrow(/VAPID_SUBJECT/);
  });

  it('sign with a subject a push service accepts', () => {
    expect(new WebPush(config({ VAPID_SUBJECT: 'mailto:ops@city.example' })).subject).toBe(
      'mailto:ops@city.example',
    );
    expect(new WebPush(config({ PUBLIC_URL: 'https://city.example' })).subject).toBe('https://city.example');
    expect(new WebPush(config({ MAIL_FROM: 'City <no-reply@city.example>' })).subject).toBe(
      'mailto:no-reply@city.example',
    );
  });
});

describe('push endpoints', () => {
  const strict = new WebPush(config());
  const loose = new WebPush(config({ PUSH_ALLOW_LOOPBACK: 'true' }));

  it('must be public https addresses', async () => {
    for (const endpoint of [
      'http://127.0.0.1:9/push',
      'https://127.0.0.1/push',
      'https://localhost/push',
      'https://[::1]/push',
      'https://192.168.1.1/push',
      'https://[fd00::1]/push',
      'https://[::ffff:10.0.0.1]/push',
      'http://8.8.8.8/push',
      'ftp://8.8.8.8/push',
      'https://u:p@8.8.8.8/push',
      'not a url',
    ])
      expect(await refusal(strict.checkEndpoint(endpoint)), endpoint).toBe('push.endpoint');
    expect((await strict.checkEndpoint('https://8.8.8.8/push/abc')).host).toBe('8.8.8.8');
  });

  it('may be loopback (http too) only with PUSH_ALLOW_LOOPBACK, and never private', async () => {
    expect((await loose.checkEndpoint('http://127.0.0.1:9/push')).port).toBe('9');
    expect((await loose.checkEndpoint('http://localhost:9/push')).hostname).toBe('localhost');
    expect(await refusal(loose.checkEndpoint('https://10.0.0.1/push'))).toBe('push.endpoint');
    expect(await refusal(loose.checkEndpoint('http://10.0.0.1/push'))).toBe('push.endpoint');
  });

  it('are not posted to on loopback without the setting, even if stored earlier', async () => {
    const service = await testPushService();
    try {
      const target = new TestBrowser().subscription(`${service.origin}/push`);
      await expect(strict.send(target, '{}', { ttl: 60 })).rejects.toThrow(/not a public address/);
      const viaName = new TestBrowser().subscription(
        `${service.origin.replace('127.0.0.1', 'localhost')}/push`,
      );
      await expect(strict.send(viaName, '{}', { ttl: 60 })).rejects.toThrow(/not https|non-public/);
      expect(service.received).toHaveLength(0);
      expect(await loose.send(target, 'สวัสดี', { ttl: 60, urgency: 'high' })).toBe(201);
      expect(service.received).toHaveLength(1);
      expect(service.received[0].headers.urgency).toBe('high');
      verifyVapid(service.received[0].headers.authorization, service.origin);
    } finally {
      await service.close();
    }
  });
});

describe('subscription keys', () => {
  it('take a real P-256 point and a 16-byte secret, padded or not', () => {
    const good = new TestBrowser().subscription('https://x').keys;
    expect(() => checkKeys(good)).not.toThrow();
    expect(() => checkKeys({ p256dh: `${good.p256dh}=`, auth: `${good.auth}==` })).not.toThrow();
    expect(() => checkKeys({ ...good, auth: Buffer.alloc(15).toString('base64url') })).toThrow(AppError);
    expect(() => checkKeys({ ...good, p256dh: Buffer.alloc(65, 4).toString('base64url') })).toThrow(AppError);
    expect(() => checkKeys({ ...good, p256dh: 'not base64!' })).toThrow(AppError);
  });
});
