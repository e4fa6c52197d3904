import type { Rule } from './model.ts';
import type { DeviceFacts } from './repository.ts';

interface ByScope {
  city: Rule[];
  device: Map<string, Rule[]>;
  profile: Map<string, Rule[]>;
  zone: Map<string, Rule[]>;
}

const push = (m: Map<string, Rule[]>, k: string, r: Rule) => {
  const list = m.get(k);
  if (list) list.push(r);
  else m.set(k, [r]);
};

/**
 * The enabled rules by quantity and then by what their scope names (a device, a profile, a zone, the
 * city), so a reading meets only the rules whose scope can contain its device: with a thousand rules,
 * scanning them all per reading was a large part of the evaluation's cost.
 */
export class RuleIndex {
  private byQuantity = new Map<string, ByScope>();

  constructor(rules: Rule[]) {
    for (const r of rules) {
      let q = this.byQuantity.get(r.quantity);
      if (!q) {
        q = { city: [], device: new Map(), profile: new Map(), zone: new Map() };
        this.byQuantity.set(r.quantity, q);
      }
      const s = r.scope;
      if (s.kind === 'city') q.city.push(r);
      else if (s.kind === 'device') push(q.device, s.deviceId, r);
      else if (s.kind === 'profile') push(q.profile, s.profileId, r);
      else push(q.zone, s.zoneCode, r);
    }
  }

  has(quantity: string): boolean {
    return this.byQuantity.has(quantity);
  }

  /** The rules of `quantity` whose scope contains the device. */
  matching(quantity: string, d: DeviceFacts): Rule[] {
    const q = this.byQuantity.get(quantity);
    if (!q) return [];
    const out = [...q.city];
    const own = q.device.get(d.id);
    if (own) out.push(...own);
    const profile = q.profile.get(d.profileId);
    if (profile) out.push(...profile);
    const zone = d.zoneCode === null ? undefined : q.zone.get(d.zoneCode);
    if (zone) out.push(...zone);
    return out;
  }
}
