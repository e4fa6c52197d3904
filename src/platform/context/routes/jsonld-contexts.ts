import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { audit } from '../../../core/audit/audit.ts';
import { badData, NgsiError, notFound } from '../errors.ts';
import { activeContext } from '../jsonld.ts';
import { type ContextKind, contextKinds, type StoredContext } from '../jsonld-store.ts';
import { downloadContext, type FetchPolicy } from '../remote-contexts.ts';
import type { StoredContexts } from '../stored-contexts.ts';
import { negotiate, tenantOf } from './http.ts';
import { tags } from './schemas.ts';

/** A hosted context is at most this large (the same bound as a fetched remote one). */
export const maxHostedBytes = 512 * 1024;
const maxTerms = 10_000;
const contextKeywords = new Set([
  '@base',
  '@direction',
  '@import',
  '@language',
  '@propagate',
  '@protected',
  '@type',
  '@version',
  '@vocab',
]);

const ListQuery = Type.Object(
  {
    details: Type.Optional(Type.String({ description: 'true: metadata objects instead of URLs' })),
    kind: Type.Optional(Type.String({ description: 'Hosted, Cached or ImplicitlyCreated' })),
  },
  { additionalProperties: false },
);
const OneQuery = Type.Object(
  { details: Type.Optional(Type.String({ description: 'true: the metadata, not the @context' })) },
  { additionalProperties: false },
);
const DeleteQuery = Type.Object(
  { reload: Type.Optional(Type.String({ description: 'true: download a Cached context again' })) },
  { additionalProperties: false },
);
const Params = Type.Object({
  contextId: Type.String({
    minLength: 1,
    maxLength: 2048,
    description: 'the local id, or the original URL of a Cached context',
  }),
});

function flag(value: string | undefined, name: string): boolean {
  if (value === undefined) return false;
  if (value !== 'true' && value !== 'false') throw badData(`${name} must be true or false`);
  return value === 'true';
}

/** Checks a JSON-LD context value the way a JSON-LD processor would refuse it (enough for NGSI-LD). */
function checkContext(value: unknown, depth: number, counter: { terms: number }): void {
  if (depth > 3) throw badData('@context nests too deeply');
  if (typeof value === 'string') {
    if (!/^https?:\/\/\S+$/.test(value)) throw badData(`@context entry is not a URL: ${value.slice(0, 200)}`);
    return;
  }
  if (Array.isArray(value)) {
    if (value.length > 20) throw badData('@context has too many entries');
    for (const entry of value) checkContext(entry, depth + 1, counter);
    return;
  }
  if (value === null || typeof value !== 'object')
    throw badData('@context must be a URL, an object or an array of them');
  for (const [term, def] of Object.entries(value)) {
    if (++counter.terms > maxTerms) throw badData(`@context defines more than ${maxTerms} terms`);
    if (term === '') throw badData('@context defines an empty term');
    if (term.startsWith('@')) {
      if (!contextKeywords.has(term)) throw badData(`${term} is not a keyword of a JSON-LD context`);
      if (term === '@vocab' && def !== null && typeof def !== 'string')
        throw badData('@vocab must be an IRI');
      continue;
    }
    if (def === null || typeof def === 'string') continue;
    if (typeof def !== 'object' || Array.isArray(def))
      throw badData(`the definition of ${term.slice(0, 100)} must be an IRI, null or an object`);
    const id = (def as Record<string, unknown>)['@id'];
    if (id !== undefined && id !== null && typeof id !== 'string')
      throw badData(`the @id of ${term.slice(0, 100)} must be an IRI`);
    const scoped = (def as Record<string, unknown>)['@context'];
    if (scoped !== undefined) checkContext(scoped, depth + 1, counter);
  }
}

/** The @context value of a POST /jsonldContexts body, refused unless it is a JSON-LD context document. */
function readContextDocument(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw badData('the body must be a JSON object with an @context member');
  if (!('@context' in body)) throw badData('the body has no @context: it is not a JSON-LD context document');
  const others = Object.keys(body).filter((k) => k !== '@context');
  if (others.length)
    throw badData(`a context document has only @context, not ${others.slice(0, 5).join(', ')}`);
  const context = (body as { '@context': unknown })['@context'];
  if (typeof context === 'string' || context === null)
    throw badData('a hosted @context is an object or an array (a URL alone is cached by using it)');
  checkContext(context, 0, { terms: 0 });
  // Every URL it refers to must resolve (the pre-handler fetched them): a context that cannot be
  // used is not stored.
  activeContext(context);
  return context;
}

/** Where this broker is reached from outside: PUBLIC_URL, else the host the request came to. */
export function publicOrigin(request: FastifyRequest): string {
  return (request.server.config.PUBLIC_URL ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
}

export async function jsonldContextRoutes(
  app: FastifyInstance,
  opts: { contexts: StoredContexts; policy: FetchPolicy },
) {
  const { contexts, policy } = opts;
  const store = contexts.store;
  const db = store.db;
  const urlOf = (request: FastifyRequest, row: StoredContext) =>
    row.url ?? `${publicOrigin(request)}/ngsi-ld/v1/jsonldContexts/${row.id}`;
  const details = (request: FastifyRequest, row: StoredContext) => ({
    URL: urlOf(request, row),
    localId: row.id,
    kind: row.kind,
    createdAt: row.createdAt,
  });

  app.post(
    '/jsonldContexts',
    {
      config: { access: 'staff' },
      bodyLimit: maxHostedBytes,
      schema: { tags, summary: 'Add a hosted @context (5.13.2)' },
    },
    async (request, reply) => {
      const tenant = tenantOf(request);
      const document = readContextDocument(request.body);
      const row = await db.transaction(async (tx) => {
        const inserted = await store.insertHosted(tx, tenant, randomUUID(), document);
        await audit(tx, request.actor(), {
          action: 'ngsi-ld.jsonld-context.create',
          resourceType: 'ngsi-ld.jsonld-context',
          resourceId: inserted.id,
          detail: tenant ? { tenant } : {},
        });
        return inserted;
      });
      contexts.hosted(row.id, tenant, document);
      return reply.code(201).header('location', urlOf(request, row)).send();
    },
  );

  app.get(
    '/jsonldContexts',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'List the stored @contexts (5.13.3)', querystring: ListQuery },
    },
    async (request, reply) => {
      negotiate(request, false);
      const q = request.query as { details?: string; kind?: string };
      const withDetails = flag(q.details, 'details');
      if (q.kind !== undefined && !contextKinds.includes(q.kind as ContextKind))
        throw badData('kind must be Hosted, Cached or ImplicitlyCreated');
      const rows = await store.list(tenantOf(request), q.kind as ContextKind | undefined);
      return reply
        .type('application/json')
        .send(rows.map((r) => (withDetails ? details(request, r) : urlOf(request, r))));
    },
  );

  app.get(
    '/jsonldContexts/:contextId',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'Serve a stored @context (5.13.4)', params: Params, querystring: OneQuery },
    },
    async (request, reply) => {
      const rep = negotiate(request, false);
      const { contextId } = request.params as { contextId: string };
      const withDetails = flag((request.query as { details?: string }).details, 'details');
      const row = await store.find(tenantOf(request), contextId);
      if (!row) throw notFound(`no stored @context ${contextId.slice(0, 300)}`);
      if (withDetails) return reply.type('application/json').send(details(request, row));
      if (row.kind === 'Cached')
        throw new NgsiError(
          'OperationNotSupported',
          `a Cached @context is served by its own URL (${row.url}); details=true gives its metadata`,
        );
      return reply
        .type(rep === 'ld' ? 'application/ld+json' : 'application/json')
        .send({ '@context': row.document });
    },
  );

  app.delete(
    '/jsonldContexts/:contextId',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Delete a stored @context, or reload a Cached one (5.13.5)',
        params: Params,
        querystring: DeleteQuery,
      },
    },
    async (request, reply) => {
      const tenant = tenantOf(request);
      const { contextId } = request.params as { contextId: string };
      const reload = flag((request.query as { reload?: string }).reload, 'reload');
      const row = await store.find(tenantOf(request), contextId);
      if (!row) throw notFound(`no stored @context ${contextId.slice(0, 300)}`);
      const actor = request.actor();
      if (reload) {
        if (row.kind !== 'Cached' || row.url === null)
          throw badData(`only a Cached @context can be reloaded; ${row.id} is ${row.kind}`);
        const url = row.url;
        let document: unknown;
        try {
          document = await downloadContext(url, policy);
          activeContext(document);
        } catch (e) {
          const reason = e instanceof NgsiError ? e.message : (e as Error).message.slice(0, 200);
          throw new NgsiError(
            'LdContextNotAvailable',
            `the @context ${url} could not be downloaded: ${reason}`,
            504,
          );
        }
        await db.transaction(async (tx) => {
          await store.reloadCached(tx, tenant, url, document);
          await audit(tx, actor, {
            action: 'ngsi-ld.jsonld-context.reload',
            resourceType: 'ngsi-ld.jsonld-context',
            resourceId: row.id,
            detail: { url: url.slice(0, 300), ...(tenant ? { tenant } : {}) },
          });
        });
        contexts.reloaded(url, document);
        return reply.code(204).send();
      }
      const kept = await db.transaction(async (tx) => {
        const users = await store.subscriptionsUsing(tx, tenant, row.url ?? `/jsonldContexts/${row.id}`);
        if (users.length)
          throw badData(
            `the @context ${row.id} is in use by subscription ${users.join(', ')}; ` +
              (row.kind === 'Cached'
                ? 'reload=true downloads it again instead'
                : 'change or delete them first'),
          );
        await store.delete(tx, tenant, row.id);
        await audit(tx, actor, {
          action: 'ngsi-ld.jsonld-context.delete',
          resourceType: 'ngsi-ld.jsonld-context',
          resourceId: row.id,
          detail: {
            kind: row.kind,
            ...(row.url ? { url: row.url.slice(0, 300) } : {}),
            ...(tenant ? { tenant } : {}),
          },
        });
        return row.url === null ? false : store.urlKept(tx, row.url);
      });
      contexts.deleted(tenant, row.id, row.url, kept);
      return reply.code(204).send();
    },
  );
}
