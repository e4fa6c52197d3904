/**
 * Hosted @contexts (given to the broker with POST /jsonldContexts) kept in memory, so the
 * synchronous term expansion can resolve them. A hosted context's URL ends in
 * `/ngsi-ld/v1/jsonldContexts/<uuid>`; the id is what finds it, whatever host name the caller used
 * (the public name, the internal one, a proxy's), and a random UUID cannot name another broker's.
 */
const hosted = new Map<string, { tenant: string; document: unknown }>();

const hostedPath =
  /\/ngsi-ld\/v1\/jsonldContexts\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The local id in a URL shaped like a hosted context's, else undefined. */
export function hostedId(url: string): string | undefined {
  if (!/^https?:\/\//.test(url)) return undefined;
  try {
    const u = new URL(url);
    if (u.search || u.hash) return undefined;
    return hostedPath.exec(u.pathname)?.[1];
  } catch {
    return undefined;
  }
}

/** The hosted context a URL names, with its tenant, if this process knows it. */
export function hostedEntry(url: string): { tenant: string; document: unknown } | undefined {
  const id = hostedId(url);
  return id === undefined ? undefined : hosted.get(id);
}

/** The @context value of the hosted context a URL names (any tenant: the caller checked the tenant). */
export function hostedContext(url: string): unknown {
  return hostedEntry(url)?.document;
}

export function rememberHosted(id: string, tenant: string, document: unknown): void {
  hosted.set(id, { tenant, document });
}

export function forgetHosted(id: string): void {
  hosted.delete(id);
}

/** Forgets every hosted context (tests: what a restart forgets). */
export function clearHosted(): void {
  hosted.clear();
}
