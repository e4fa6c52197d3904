import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export const secretPattern = '^whsec_[A-Za-z0-9+/]{32,200}={0,2}$';

/**
 * The Standard Webhooks signature: `v1,` + base64 HMAC-SHA256, keyed with the secret's base64-decoded
 * bytes, over `id.timestamp.body` (timestamp in Unix seconds).
 */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** What a receiver does; here for tests and as the reference for integrators. */
export function verify(
  secret: string,
  headers: { 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string },
  body: string,
): boolean {
  const expected = Buffer.from(
    sign(secret, headers['webhook-id'], Number(headers['webhook-timestamp']), body),
  );
  return headers['webhook-signature'].split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
