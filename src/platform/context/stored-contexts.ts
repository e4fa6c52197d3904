import { randomUUID } from 'node:crypto';
import type { Executor } from '../../core/db/index.ts';
import { shippedContext } from './contexts/index.ts';
import { NgsiError } from './errors.ts';
import { forgetHosted, hostedEntry, hostedId, rememberHosted } from './hosted-contexts.ts';
import { forgetActiveContexts } from './jsonld.ts';
import type { JsonldContextStore } from './jsonld-store.ts';
import {
  cachedRemoteContext,
  contextUrls,
  ensureRemoteContexts,
  type FetchPolicy,
  forgetRemoteContext,
  rememberRemoteContext,
} from './remote-contexts.ts';

const isRemote = (url: string) => /^https?:\/\/\S+$/.test(url) && shippedContext(url) === undefined;

/**
 * The @context store as the request path sees it: what the database keeps is loaded into memory at
 * start; before a handler runs, the request's @context URLs are resolved (hosted ones from the store,
 * remote ones fetched once) and every remote one the tenant uses is recorded as its Cached copy.
 */
export class StoredContexts {
  /** `tenant \n url` of every Cached row this process knows exists. */
  private readonly kept = new Set<string>();

  constructor(
    readonly store: JsonldContextStore,
    private readonly policy: FetchPolicy,
  ) {}

  async load(): Promise<void> {
    for (const row of await this.store.all()) {
      if (row.kind === 'Cached' && row.url !== null) {
        rememberRemoteContext(row.url, row.document);
        this.kept.add(`${row.tenant}\n${row.url}`);
      } else rememberHosted(row.id, row.tenant, row.document);
    }
  }

  /** Makes every URL of a request's @context resolvable for `tenant`, or says why it cannot be. */
  async prepare(urls: string[], tenant: string): Promise<void> {
    const remote: string[] = [];
    for (const url of urls) {
      const id = hostedId(url);
      let hosted = hostedEntry(url);
      if (id !== undefined && !hosted) {
        // Hosted by another process of this broker since this one started.
        const row = await this.store.hostedById(id);
        if (row) rememberHosted(row.id, row.tenant, row.document);
        hosted = hostedEntry(url);
      }
      if (hosted) {
        if (hosted.tenant !== tenant)
          throw new NgsiError('LdContextNotAvailable', `the @context ${url} is hosted for another tenant`);
        remote.push(...contextUrls(hosted.document).filter(isRemote));
      } else if (isRemote(url)) remote.push(url);
    }
    if (remote.length === 0) return;
    const save = (url: string, context: unknown) => this.saveCached(tenant, url, context);
    await ensureRemoteContexts(remote, this.policy, (u) => !isRemote(u) || !!hostedEntry(u), save);
    // A URL fetched earlier (for another tenant, or before this tenant's row was deleted) is this
    // tenant's Cached context too from its first use.
    for (const url of remote) {
      const doc = cachedRemoteContext(url);
      if (doc !== undefined && !this.kept.has(`${tenant}\n${url}`)) await this.saveCached(tenant, url, doc);
    }
  }

  private async saveCached(tenant: string, url: string, context: unknown): Promise<void> {
    await this.store.saveCached(tenant, randomUUID(), url, context);
    this.kept.add(`${tenant}\n${url}`);
  }

  /** After a hosted context was added (the route wrote it in its transaction). */
  hosted(id: string, tenant: string, document: unknown): void {
    rememberHosted(id, tenant, document);
  }

  /**
   * A subscription made with an inline @context (an object, or an array with one) gets it as an
   * ImplicitlyCreated context, in the subscription's transaction, and keeps its URL instead: then a
   * notification's `Link` header can name the context its terms were compacted with.
   * Call `hosted` with the answer once the transaction has committed.
   */
  async createImplicit(
    on: Executor,
    tenant: string,
    document: unknown,
    origin: string,
  ): Promise<{ id: string; url: string }> {
    const id = randomUUID();
    await this.store.insertHosted(on, tenant, id, document, 'ImplicitlyCreated');
    return { id, url: `${origin}/ngsi-ld/v1/jsonldContexts/${id}` };
  }

  /**
   * After its subscription was deleted (in the same transaction), the ImplicitlyCreated context made
   * for it goes too, unless another subscription names it. Answers the id deleted, for `deleted`.
   */
  async dropImplicit(on: Executor, tenant: string, context: unknown): Promise<string | undefined> {
    if (typeof context !== 'string') return undefined;
    const id = hostedId(context);
    if (id === undefined) return undefined;
    const row = await this.store.find(tenant, id, on);
    if (row?.kind !== 'ImplicitlyCreated') return undefined;
    if ((await this.store.subscriptionsUsing(on, tenant, `/jsonldContexts/${id}`)).length) return undefined;
    await this.store.delete(on, tenant, id);
    return id;
  }

  /** After a row was deleted: forget it here, and a remote document when no tenant keeps it. */
  deleted(tenant: string, id: string, url: string | null, urlStillKept: boolean): void {
    if (url === null) forgetHosted(id);
    else {
      this.kept.delete(`${tenant}\n${url}`);
      if (!urlStillKept) forgetRemoteContext(url);
    }
    forgetActiveContexts();
  }

  /** After a Cached context was downloaded again. */
  reloaded(url: string, document: unknown): void {
    forgetRemoteContext(url);
    rememberRemoteContext(url, document);
    forgetActiveContexts();
  }
}
