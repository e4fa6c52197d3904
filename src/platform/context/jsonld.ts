import { coreContextUrl, shippedContext } from './contexts/index.ts';
import { badData, NgsiError } from './errors.ts';
import { hostedContext } from './hosted-contexts.ts';
import { cachedRemoteContext } from './remote-contexts.ts';

const defaultVocab = 'https://uri.etsi.org/ngsi-ld/default-context/';
const maxContextEntries = 20;

/**
 * A compiled JSON-LD context, enough for NGSI-LD: term → IRI for expansion and IRI → term for
 * compaction. The core context is applied last and wins, as it is protected in the spec.
 */
export class ActiveContext {
  private readonly terms = new Map<string, string>();
  private readonly reverse = new Map<string, string>();
  private vocab = defaultVocab;

  constructor(
    /** What answers echo back: the Link URL(s) or the body's @context, as the caller gave it. */
    readonly source: unknown,
  ) {}

  add(definitions: Record<string, unknown>, protectedTerms = false): void {
    const pending: [string, string][] = [];
    for (const [term, def] of Object.entries(definitions)) {
      if (term === '@vocab' && typeof def === 'string') this.vocab = def;
      if (term.startsWith('@')) continue;
      const id = typeof def === 'string' ? def : (def as { '@id'?: unknown } | null)?.['@id'];
      if (typeof id === 'string') pending.push([term, id]);
    }
    // Prefixes first, so compact IRIs (`ngsi-ld:location`) resolve whatever their order.
    for (const [term, id] of pending)
      if (!id.includes(':') || /^https?:/.test(id)) this.set(term, id, protectedTerms);
    for (const [term, id] of pending)
      if (id.includes(':') && !/^https?:/.test(id)) this.set(term, this.expandIri(id), protectedTerms);
  }

  private set(term: string, iri: string, force: boolean): void {
    if (!force && this.terms.has(term)) return;
    this.terms.set(term, iri);
    if (force || !this.reverse.has(iri)) this.reverse.set(iri, term);
  }

  private expandIri(value: string): string {
    const colon = value.indexOf(':');
    if (colon > 0) {
      const prefix = this.terms.get(value.slice(0, colon));
      if (prefix && !value.startsWith('//', colon + 1)) return prefix + value.slice(colon + 1);
    }
    return value;
  }

  /** A term (attribute name, type) as a full IRI. Unknown terms fall under the default vocabulary. */
  expand(term: string): string {
    const known = this.terms.get(term);
    if (known !== undefined) return known;
    if (term.includes(':')) return this.expandIri(term);
    return this.vocab + term;
  }

  /** A full IRI as the shortest term this context knows for it. */
  compact(iri: string): string {
    const term = this.reverse.get(iri);
    if (term !== undefined) return term;
    if (iri.startsWith(this.vocab) && !iri.slice(this.vocab.length).includes('/'))
      return iri.slice(this.vocab.length);
    return iri;
  }
}

const cache = new Map<string, ActiveContext>();

/** Drops every compiled context: a stored @context was deleted or reloaded. */
export function forgetActiveContexts(): void {
  cache.clear();
}

/** Builds (and caches) the active context for a Link URL, a body @context, or nothing (core only). */
export function activeContext(source: unknown): ActiveContext {
  const key = JSON.stringify(source ?? null);
  const hit = cache.get(key);
  if (hit) return hit;
  const ctx = new ActiveContext(source ?? coreContextUrl);
  const entries = source === undefined || source === null ? [] : Array.isArray(source) ? source : [source];
  if (entries.length > maxContextEntries) throw badData('@context has too many entries');
  for (const entry of entries) addEntry(ctx, entry, 0);
  ctx.add(shippedContext(coreContextUrl) as Record<string, unknown>, true);
  if (cache.size > 500) cache.clear();
  cache.set(key, ctx);
  return ctx;
}

function addEntry(ctx: ActiveContext, entry: unknown, depth: number): void {
  if (depth > 3) throw badData('@context nests too deeply');
  if (typeof entry === 'string') {
    const doc = shippedContext(entry) ?? cachedRemoteContext(entry) ?? hostedContext(entry);
    if (doc === undefined) {
      if (!/^https?:\/\/\S+$/.test(entry))
        throw badData(`@context entry is not a URL: ${entry.slice(0, 200)}`);
      throw new NgsiError(
        'LdContextNotAvailable',
        `the @context ${entry} is not shipped with this broker and has not been fetched`,
      );
    }
    for (const inner of Array.isArray(doc) ? doc : [doc]) addEntry(ctx, inner, depth + 1);
  } else if (Array.isArray(entry)) {
    for (const inner of entry) addEntry(ctx, inner, depth + 1);
  } else if (entry && typeof entry === 'object') {
    ctx.add(entry as Record<string, unknown>);
  } else if (entry !== null) {
    throw badData('@context must be a URL, an object or an array of them');
  }
}

const linkPattern = /<([^>]*)>\s*((?:;\s*[^;,]*)*)/g;

/** The context URL of a `Link: <…>; rel="http://www.w3.org/ns/json-ld#context"` header. */
export function contextFromLink(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join(',') : header;
  for (const m of text.matchAll(linkPattern)) {
    if (/rel\s*=\s*"?http:\/\/www\.w3\.org\/ns\/json-ld#context"?/.test(m[2])) return m[1];
  }
  return undefined;
}

export function linkHeader(url: string): string {
  return `<${url}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`;
}
