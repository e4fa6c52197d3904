import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isPublicAddress } from '../../core/public-address.ts';
import { badData } from './errors.ts';

/**
 * Which notification endpoints a subscription may name (`NGSI_LD_NOTIFY_ALLOW`): the endpoint is staff
 * input, and the broker contacts it from inside the city's network. `any`: every address (the
 * behaviour before this setting); `public`: only addresses that resolve to public ones, checked on
 * every resolved address at delivery too, so a DNS answer cannot turn it inward later; a host list:
 * only those host names (`*.example.org` for a domain and its subdomains), whatever they resolve to.
 */
export type NotifyPolicy = { kind: 'any' } | { kind: 'public' } | { kind: 'hosts'; hosts: string[] };

export function parseNotifyAllow(value: string): NotifyPolicy {
  if (value === 'any') return { kind: 'any' };
  if (value === 'public') return { kind: 'public' };
  const hosts = value
    .split(',')
    .map((h) =>
      h
        .trim()
        .toLowerCase()
        .replace(/^\[|\]$/g, ''),
    )
    .filter(Boolean);
  return { kind: 'hosts', hosts };
}

/** The host of a URL as compared: lower case, IPv6 without brackets. */
export const hostOf = (url: URL) => url.hostname.toLowerCase().replace(/^\[|\]$/g, '');

/** Whether a host list admits `host`. */
export function hostListed(hosts: string[], host: string): boolean {
  return hosts.some((h) =>
    h.startsWith('*.') ? host === h.slice(2) || host.endsWith(h.slice(1)) : h === host,
  );
}

/**
 * Why the policy refuses an endpoint, or null. With `public`, names are resolved: every address
 * must be public; a name that does not resolve now is let through (it is checked again at delivery).
 */
export async function endpointRefusal(policy: NotifyPolicy, uri: string): Promise<string | null> {
  if (policy.kind === 'any') return null;
  const host = hostOf(new URL(uri));
  if (policy.kind === 'hosts')
    return hostListed(policy.hosts, host) ? null : `${host} is not an allowed notification host`;
  if (isIP(host)) return isPublicAddress(host) ? null : `${host} is not a public address`;
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true });
  } catch {
    return null;
  }
  const inward = addresses.find((a) => !isPublicAddress(a.address));
  return inward ? `${host} resolves to a non-public address` : null;
}

/** Refuses (BadRequestData) a subscription whose endpoint the policy does not allow. */
export async function checkEndpointAllowed(policy: NotifyPolicy, uri: string): Promise<void> {
  const refusal = await endpointRefusal(policy, uri);
  if (refusal) throw badData(`notification.endpoint.uri is not allowed here: ${refusal}`);
}
