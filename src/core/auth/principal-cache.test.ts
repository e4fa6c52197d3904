import { describe, expect, it } from 'vitest';
import { PrincipalCache } from './principal-cache.ts';
import type { Principal } from './roles.ts';

const who = (tokenId: string) => ({ userId: 'u', tokenId }) as Principal;

describe('PrincipalCache', () => {
  it('loads once within the time to live, again after it, and never keeps a miss', async () => {
    const cache = new PrincipalCache(50);
    let loads = 0;
    const load = async () => {
      loads++;
      return who('a');
    };
    await cache.get('k', load);
    await cache.get('k', load);
    expect(loads).toBe(1);
    await new Promise((r) => setTimeout(r, 60));
    await cache.get('k', load);
    expect(loads).toBe(2);
    let misses = 0;
    const miss = async () => {
      misses++;
      return null;
    };
    await cache.get('gone', miss);
    await cache.get('gone', miss);
    expect(misses).toBe(2);
  });

  it('forgets on demand and stays within its size', async () => {
    const cache = new PrincipalCache(60_000, 2);
    let loads = 0;
    const load = (id: string) => async () => {
      loads++;
      return who(id);
    };
    await cache.get('a', load('a'));
    cache.forget((_k, p) => p.tokenId === 'a');
    await cache.get('a', load('a'));
    expect(loads).toBe(2);
    await cache.get('b', load('b'));
    await cache.get('c', load('c'));
    await cache.get('a', load('a'));
    expect(loads).toBe(5);
  });
});
