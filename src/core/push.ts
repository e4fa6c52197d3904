import { createECDH } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import webpush from 'web-push';
import type { Config } from './config.ts';
import { AppError } from './errors.ts';
import { msg } from './i18n.ts';
import { isPublicAddress } from './public-address.ts';

/** A browser's PushSubscription as `toJSON()` gives it (RFC 8030 endpoint, RFC 8291 keys). */
export interface PushTarget {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

export interface PushOptions {
  /** Seconds the push service keeps an undelivered message (RFC 8030 TTL). */
  ttl: number;
  /** A newer message with the same topic replaces an undelivered older one (≤ 32 base64url characters). */
  topic?: string;
  urgency?: 'very-low' | 'low' | 'normal' | 'high';
}

const timeoutMs = 10_000;
const base64url = /^[A-Za-z0-9_-]+={0,2}$/;

function decode(value: string): Buffer | null {
  return base64url.test(value) ? Buffer.from(value.replace(/=+$/, ''), 'base64url') : null;
}

/**
 * The subscription's keys must be a P-256 point (65 bytes, uncompressed, on the curve) and a 16-byte
 * auth secret, or encryption to it would fail at every status change instead of now.
 */
export function checkKeys(keys: PushTarget['keys']): void {
  const point = decode(keys.p256dh);
  const auth = decode(keys.auth);
  if (point?.length !== 65 || point[0] !== 4)
    throw AppError.badRequest('push.bad_keys', msg('push.p256dh_format'));
  if (auth?.length !== 16) throw AppError.badRequest('push.bad_keys', msg('push.auth_length'));
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    ecdh.computeSecret(point);
  } catch {
    throw AppError.badRequest('push.bad_keys', msg('push.p256dh_curve'));
  }
}

const isLoopback = (address: string) =>
  /^127\.\d+\.\d+\.\d+$/.test(address) || /^::ffff:127\./i.test(address) || address === '::1';
const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, '');

/**
 * The VAPID key pair: from the configuration, or generated on first use and kept in
 * `DATA_DIR/vapid.json`, so subscriptions made before a restart still work after it. Several
 * processes must share the configured keys (or the folder): a browser accepts pushes signed by the
 * key it subscribed with only.
 */
export async function loadVapidKeys(
  config: Pick<Config, 'DATA_DIR' | 'VAPID_PUBLIC_KEY' | 'VAPID_PRIVATE_KEY'>,
) {
  if (config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY) {
    const keys = { publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY };
    checkPair(keys, 'VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY');
    return keys;
  }
  const file = join(config.DATA_DIR, 'vapid.json');
  const read = async () => {
    const keys = JSON.parse(await readFile(file, 'utf8')) as VapidKeys;
    checkPair(keys, file);
    return keys;
  };
  try {
    return await read();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const keys = webpush.generateVAPIDKeys();
  await mkdir(config.DATA_DIR, { recursive: true });
  try {
    // `wx`: a second process starting at the same moment keeps the first one's pair.
    await writeFile(file, `${JSON.stringify(keys)}\n`, { flag: 'wx', mode: 0o600 });
    return keys;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return read();
    throw e;
  }
}

function checkPair(keys: VapidKeys, where: string): void {
  const ecdh = createECDH('prime256v1');
  try {
    ecdh.setPrivateKey(Buffer.from(keys.privateKey, 'base64url'));
  } catch {
    throw new Error(`${where}: the VAPID private key is not a P-256 key`);
  }
  if (ecdh.getPublicKey('base64url') !== keys.publicKey)
    throw new Error(`${where}: the VAPID public key does not belong to the private key`);
}

/**
 * Web Push (RFC 8030) with message encryption (RFC 8291, aes128gcm) and VAPID (RFC 8292), signed and
 * encrypted by the `web-push` library and sent here, so that the connection goes only where the
 * endpoint policy allows: a public address over https, or loopback when PUSH_ALLOW_LOOPBACK (tests).
 */
export class WebPush {
  private keys: Promise<VapidKeys> | null = null;

  constructor(private readonly config: Config) {}

  get allowLoopback(): boolean {
    return this.config.PUSH_ALLOW_LOOPBACK;
  }

  vapid(): Promise<VapidKeys> {
    if (!this.keys) {
      this.keys = loadVapidKeys(this.config);
      this.keys.catch(() => {
        this.keys = null;
      });
    }
    return this.keys;
  }

  async publicKey(): Promise<string> {
    return (await this.vapid()).publicKey;
  }

  /** The JWT's `sub`: a contact for the push service's operator (Apple refuses a localhost one). */
  get subject(): string {
    if (this.config.VAPID_SUBJECT) return this.config.VAPID_SUBJECT;
    const url = this.config.PUBLIC_URL;
    if (url?.startsWith('https://') && new URL(url).hostname !== 'localhost') return url;
    const address = /<([^>]+)>/.exec(this.config.MAIL_FROM)?.[1] ?? this.config.MAIL_FROM;
    return `mailto:${address.trim()}`;
  }

  /**
   * Refuses an endpoint the platform must not post to: not https, credentials in it, or a name or
   * address that is not public (the caller could otherwise aim the server at the city's own network).
   */
  async checkEndpoint(raw: string): Promise<URL> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw AppError.badRequest('push.endpoint', msg('url.not_url'));
    }
    const host = bare(url.hostname);
    const loopbackHost = host === 'localhost' || isLoopback(host);
    if (url.username || url.password || url.hash)
      throw AppError.badRequest('push.endpoint', msg('url.https_no_credentials'));
    if (this.allowLoopback && loopbackHost && (url.protocol === 'http:' || url.protocol === 'https:'))
      return url;
    if (url.protocol !== 'https:') throw AppError.badRequest('push.endpoint', msg('url.https_required'));
    const addresses = isIP(host)
      ? [host]
      : await lookup(host, { all: true }).then(
          (list) => list.map((a) => a.address),
          () => [] as string[],
        );
    if (addresses.length === 0) throw AppError.badRequest('push.endpoint', msg('url.unresolved', { host }));
    if (addresses.some((a) => !isPublicAddress(a)))
      throw AppError.badRequest('push.endpoint', msg('url.not_public', { host }));
    return url;
  }

  /** Encrypts and sends one message; resolves with the push service's status, rejects on no answer. */
  async send(target: PushTarget, payload: string, options: PushOptions): Promise<number> {
    const keys = await this.vapid();
    const details = webpush.generateRequestDetails(target, payload, {
      vapidDetails: { subject: this.subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
      TTL: options.ttl,
      contentEncoding: 'aes128gcm',
      ...(options.topic ? { topic: options.topic } : {}),
      ...(options.urgency ? { urgency: options.urgency } : {}),
    });
    const url = new URL(details.endpoint);
    const host = bare(url.hostname);
    const loopbackOk = this.allowLoopback;
    // An address literal never goes through `lookup`: check it here.
    if (isIP(host) && !isPublicAddress(host) && !(loopbackOk && isLoopback(host)))
      throw new Error(`${host} is not a public address`);
    if (url.protocol !== 'https:' && !(loopbackOk && (host === 'localhost' || isLoopback(host))))
      throw new Error('the endpoint is not https');
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<number>((resolve, reject) => {
      const request = client.request(
        url,
        {
          method: details.method,
          headers: details.headers as Record<string, string>,
          timeout: timeoutMs,
          signal: AbortSignal.timeout(timeoutMs),
          // The socket connects only to an address that passed the policy: no DNS rebinding inward.
          lookup: policyLookup(loopbackOk) as never,
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer in ${timeoutMs / 1000} s`)));
      request.on('error', reject);
      request.end(details.body);
    });
  }
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

function policyLookup(allowLoopback: boolean) {
  return (hostname: string, options: object, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      const ok = (a: LookupAddress) => isPublicAddress(a.address) || (allowLoopback && isLoopback(a.address));
      if (list.length === 0 || !list.every(ok))
        return callback(
          Object.assign(new Error(`${hostname} resolves to a non-public address`), { code: 'EPRIVATE' }),
          [],
        );
      if ((options as { all?: boolean }).all) return callback(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

/** `GET /api/push/public-key`: the VAPID key a browser subscribes with (`applicationServerKey`). */
export async function pushRoutes(app: FastifyInstance) {
  app.get(
    '/api/push/public-key',
    {
      config: { access: 'public' },
      schema: {
        tags: ['push'],
        summary: 'The VAPID public key (base64url, RFC 8292) to pass to PushManager.subscribe',
        response: { 200: Type.Object({ publicKey: Type.String() }) },
      },
    },
    async () => ({ publicKey: await app.push.publicKey() }),
  );
}
