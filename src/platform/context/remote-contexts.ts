import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { isPublicAddress, publicOnlyLookup } from '../../core/public-address.ts';
import { NgsiError } from './errors.ts';

/**
 * Remote JSON-LD contexts: an @context URL that is not shipped with the platform is fetched once
 * and kept in memory. The URL comes from the caller, so the fetch is a request the caller makes
 * through us: by default it may only reach public addresses (checked on the resolved address of
 * every hop, so neither a redirect nor a DNS answer can point it inside the city's network).
 */
export type FetchPolicy = 'off' | 'public' | 'any';

const maxBytes = 512 * 1024;
const timeoutMs = 5_000;
const maxRedirects = 3;
const maxCached = 200;
const failureTtlMs = 60_000;

const documents = new Map<string, unknown>();
const failures = new Map<string, { at: number; reason: string }>();
const inFlight = new Map<string, Promise<void>>();

/** The @context of a fetched document, if this process has it. */
export function cachedRemoteContext(url: string): unknown {
  return documents.get(url);
}

/** Forgets one fetched document (and a remembered failure), so the next use fetches it again. */
export function forgetRemoteContext(url: string): void {
  documents.delete(url);
  failures.delete(url);
}

/** Puts a document fetched earlier (kept in the database) back in the cache, at start. */
export function rememberRemoteContext(url: string, context: unknown): void {
  documents.set(url, context);
}

/** Forgets every fetched document and failure (tests). */
export function clearRemoteContexts(): void {
  documents.clear();
  failures.clear();
}

function get(url: URL, policy: FetchPolicy, redirects: number): Promise<unknown> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('only http and https contexts');
  if (
    policy === 'public' &&
    isIP(url.hostname.replace(/^\[|\]$/g, '')) &&
    !isPublicAddress(url.hostname.replace(/^\[|\]$/g, ''))
  )
    throw new Error(`${url.hostname} is not a public address`);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(
      url,
      {
        headers: { accept: 'application/ld+json, application/json;q=0.9' },
        // A connection of its own: fetches are rare, and a kept-alive socket the server is just closing
        // fails the fetch with ECONNRESET (seen when a second fetch came about 5 s after the first).
        agent: false,
        timeout: timeoutMs,
        // The whole exchange, DNS included, has the same deadline.
        signal: AbortSignal.timeout(timeoutMs),
        ...(policy === 'public' ? { lookup: publicOnlyLookup as never } : {}),
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400 && response.headers.location) {
          response.resume();
          if (redirects >= maxRedirects) return reject(new Error('too many redirects'));
          const next = new URL(response.headers.location, url);
          return get(next, policy, redirects + 1).then(resolve, reject);
        }
        if (status !== 200) {
          response.resume();
          return reject(new Error(`answered ${status}`));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            request.destroy();
            reject(new Error(`larger than ${maxBytes} bytes`));
          } else chunks.push(chunk);
        });
        response.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch {
            reject(new Error('not JSON'));
          }
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer in ${timeoutMs / 1000} s`)));
    request.on('error', reject);
  });
}

/** Where fetched documents are kept beyond this process (the database). */
export type ContextStore = (url: string, context: unknown) => Promise<void>;

/** Downloads a context document and answers its `@context` value (nothing is cached). */
export async function downloadContext(url: string, policy: FetchPolicy): Promise<unknown> {
  if (policy === 'off') throw new Error('fetching is switched off');
  const doc = await get(new URL(url), policy, 0);
  if (!doc || typeof doc !== 'object' || !('@context' in doc)) throw new Error('has no @context');
  return (doc as { '@context': unknown })['@context'];
}

async function fetchOne(url: string, policy: FetchPolicy, store?: ContextStore): Promise<void> {
  const context = await downloadContext(url, policy);
  await store?.(url, context);
  if (documents.size >= maxCached) documents.delete(documents.keys().next().value as string);
  documents.set(url, context);
}

/** Every string in an @context value (and arrays of them), which are the URLs it refers to. */
export function contextUrls(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const v of value.slice(0, 20)) contextUrls(v, into);
  return into;
}

/**
 * Makes sure every remote URL in `urls` (and the URLs their documents refer to) is in the cache,
 * or explains why it cannot be. `isShipped` says which need no fetch.
 */
export async function ensureRemoteContexts(
  urls: string[],
  policy: FetchPolicy,
  isShipped: (url: string) => boolean,
  store?: ContextStore,
  depth = 0,
): Promise<void> {
  const missing = urls.filter((u) => /^https?:\/\/\S+$/.test(u) && !isShipped(u) && !documents.has(u));
  if (missing.length === 0 || depth > 3) return;
  for (const url of missing) {
    if (policy === 'off')
      throw new NgsiError(
        'LdContextNotAvailable',
        `the @context ${url} is not shipped and fetching is switched off`,
      );
    const failed = failures.get(url);
    if (failed && Date.now() - failed.at < failureTtlMs)
      throw new NgsiError(
        'LdContextNotAvailable',
        `the @context ${url} could not be fetched: ${failed.reason}`,
      );
    let pending = inFlight.get(url);
    if (!pending) {
      pending = fetchOne(url, policy, store).finally(() => inFlight.delete(url));
      inFlight.set(url, pending);
    }
    try {
      await pending;
    } catch (e) {
      const reason = (e as Error).message.slice(0, 200);
      failures.set(url, { at: Date.now(), reason });
      throw new NgsiError('LdContextNotAvailable', `the @context ${url} could not be fetched: ${reason}`);
    }
    await ensureRemoteContexts(contextUrls(documents.get(url)), policy, isShipped, store, depth + 1);
  }
}
