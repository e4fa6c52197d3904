import type { Principal } from './roles.ts';

/**
 * Who a token or session belongs to, remembered for a few seconds so that an authenticated request
 * does not cost a database round trip (on PGlite, one at a time). Sign-out and token revocation in
 * this process take effect at once; in another process, within `ttlMs`.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, { principal: Principal; until: number }>();

  constructor(
    private readonly ttlMs = 10_000,
    private readonly max = 10_000,
  ) {}

  /** The remembered principal, without waiting: what most authenticated requests need. */
  peek(key: string): Principal | undefined {
    const hit = this.entries.get(key);
    return hit && hit.until > Date.now() ? hit.principal : undefined;
  }

  async get(key: string, load: () => Promise<Principal | null>): Promise<Principal | null> {
    const hit = this.entries.get(key);
    const now = Date.now();
    if (hit && hit.until > now) return hit.principal;
    const principal = await load();
    if (!principal) {
      this.entries.delete(key);
      return null;
    }
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { principal, until: now + this.ttlMs });
    return principal;
  }

  forget(match: (key: string, principal: Principal) => boolean): void {
    for (const [key, entry] of this.entries) if (match(key, entry.principal)) this.entries.delete(key);
  }
}
