import { describe, expect, it } from 'vitest';
import { followedKey, isFollowed, remember, urlBase64ToBytes } from './push.ts';

function memory() {
  const data = new Map<string, string>();
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    data,
  };
}

describe('web push helpers', () => {
  it('decode a base64url VAPID key to its 65 bytes', () => {
    const point = new Uint8Array(65).map((_, i) => (i * 37 + 4) % 256);
    point[0] = 4;
    const encoded = Buffer.from(point).toString('base64url');
    expect(encoded).toMatch(/[-_]/); // the test key uses the URL-safe characters
    expect(Array.from(urlBase64ToBytes(encoded))).toEqual(Array.from(point));
  });

  it('remember which complaints this browser follows, and forget one without the others', () => {
    const s = memory();
    remember('KK-2569-000001', true, s);
    remember('KK-2569-000002', true, s);
    remember('KK-2569-000001', true, s);
    expect(JSON.parse(s.data.get(followedKey)!)).toEqual(['KK-2569-000002', 'KK-2569-000001']);
    remember('KK-2569-000002', false, s);
    expect(isFollowed('KK-2569-000002', s)).toBe(false);
    expect(isFollowed('KK-2569-000001', s)).toBe(true);
  });

  it('treat a damaged list as empty', () => {
    const s = memory();
    s.setItem(followedKey, '{not json');
    expect(isFollowed('KK-2569-000001', s)).toBe(false);
    s.setItem(followedKey, '{"a":1}');
    remember('KK-2569-000003', true, s);
    expect(isFollowed('KK-2569-000003', s)).toBe(true);
  });
});
