import { describe, expect, it } from 'vitest';
import {
  followedCache,
  followedKey,
  followedUrl,
  isFollowed,
  mirrorFollowed,
  remember,
  urlBase64ToBytes,
} from './push.ts';

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

  it('hand the followed list to the service worker through the cache it reads', async () => {
    const s = memory();
    remember('KK-2569-000004', true, s);
    remember('KK-2569-000005', true, s);
    const stored = new Map<string, Map<string, Response>>();
    const cacheStorage = {
      open: async (name: string) => {
        const cache = stored.get(name) ?? new Map<string, Response>();
        stored.set(name, cache);
        return { put: async (url: string, r: Response) => void cache.set(url, r) } as unknown as Cache;
      },
    };
    await mirrorFollowed(s, cacheStorage);
    const written = stored.get(followedCache)?.get(followedUrl);
    expect(await written?.json()).toEqual(['KK-2569-000004', 'KK-2569-000005']);
    remember('KK-2569-000004', false, s);
    await mirrorFollowed(s, cacheStorage);
    expect(await stored.get(followedCache)?.get(followedUrl)?.json()).toEqual(['KK-2569-000005']);
  });
});
