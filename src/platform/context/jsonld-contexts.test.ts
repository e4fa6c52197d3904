import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../core/http/app.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { modules } from '../../modules/index.ts';
import { notificationDispatcher } from './dispatch.ts';
import { clearHosted } from './hosted-contexts.ts';
import { clearRemoteContexts } from './remote-contexts.ts';

// The @context store of clause 5.13: hosted contexts given to the broker, remote ones it cached.
const base = '/ngsi-ld/v1';
const errors = 'https://uri.etsi.org/ngsi-ld/errors/';
const hits = new Map<string, number>();
let version = 1;
// biome-ignore lint/suspicious/noExplicitAny: notification bodies are arbitrary JSON
const notified: { link: string; body: any }[] = [];
let server: Server;
let origin = '';

// A partner's context server whose context changes (version 2 renames what `fill` means).
beforeAll(async () => {
  server = createServer((req, res) => {
    hits.set(req.url ?? '', (hits.get(req.url ?? '') ?? 0) + 1);
    if (req.url === '/hook') {
      let text = '';
      req.on('data', (c) => {
        text += c;
      });
      req.on('end', () => {
        notified.push({ link: String(req.headers.link), body: JSON.parse(text) });
        res.writeHead(204);
        res.end();
      });
    } else if (req.url === '/bins.jsonld') {
      res.writeHead(200, { 'content-type': 'application/ld+json' });
      res.end(JSON.stringify({ '@context': { fill: `https://kk.example/ns/v${version}#fill` } }));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => clearRemoteContexts());

const link = (url: string) =>
  `<${url}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`;
const binsContext = {
  WasteBin: 'https://kk.example/ns#WasteBin',
  fillLevel: { '@id': 'https://kk.example/ns#fillLevel' },
};
let n = 0;
const bin = () => ({
  id: `urn:ngsi-ld:WasteBin:kk-hosted-${++n}`,
  type: 'WasteBin',
  fillLevel: { type: 'Property', value: 0.7 },
});

describe('/jsonldContexts', () => {
  let t: TestApp;
  let staff: Record<string, string>;
  let citizen: Record<string, string>;
  beforeAll(async () => {
    t = await testApp({ env: { NGSI_LD_CONTEXT_FETCH: 'any' } });
    staff = await t.tokenFor('officer');
    citizen = await t.tokenFor('citizen');
  });
  afterAll(() => t?.close());

  const host = async (context: unknown, headers: Record<string, string> = {}) => {
    const res = await t.json({
      method: 'POST',
      url: `${base}/jsonldContexts`,
      headers: { ...staff, ...headers },
      payload: { '@context': context },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const url = String(res.headers.location);
    return { url, id: url.split('/').pop() as string };
  };

  it('hosts a context (staff, audited), serves it, and expands terms with it', async () => {
    const { url, id } = await host(binsContext);
    expect(url).toMatch(/^http:\/\/localhost(:80)?\/ngsi-ld\/v1\/jsonldContexts\/[0-9a-f-]{36}$/);
    const audited = await t.db.rows<{ action: string }>(
      sql`SELECT action FROM core_audit_log WHERE resource_id = ${id}`,
    );
    expect(audited.map((a) => a.action)).toEqual(['ngsi-ld.jsonld-context.create']);

    const served = await t.json({ method: 'GET', url: `${base}/jsonldContexts/${id}` });
    expect(served.status).toBe(200);
    expect(served.body).toEqual({ '@context': binsContext });
    const detail = await t.json({ method: 'GET', url: `${base}/jsonldContexts/${id}?details=true` });
    expect(detail.body).toMatchObject({ URL: url, localId: id, kind: 'Hosted' });
    expect(Date.parse(detail.body.createdAt)).not.toBeNaN();

    const b = bin();
    const created = await t.json({
      method: 'POST',
      url: `${base}/entities`,
      headers: { ...staff, link: link(url) },
      payload: b,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const plain = await t.json({ method: 'GET', url: `${base}/entities/${b.id}` });
    expect(plain.body.type).toBe('https://kk.example/ns#WasteBin');
    expect(plain.body['https://kk.example/ns#fillLevel'].value).toBe(0.7);
    // The same URL under another host name (the internal one) is the same hosted context.
    const other = url.replace(/^http:\/\/[^/]+/, 'https://mueang.internal');
    const read = await t.json({
      method: 'GET',
      url: `${base}/entities/${b.id}`,
      headers: { link: link(other) },
    });
    expect(read.body.type).toBe('WasteBin');
    expect(read.body.fillLevel.value).toBe(0.7);
  });

  it('lists URLs, or details, filtered by kind', async () => {
    const { url, id } = await host({ lid: 'https://kk.example/ns#lid' });
    const list = await t.json({ method: 'GET', url: `${base}/jsonldContexts` });
    expect(list.status).toBe(200);
    expect(list.body).toContain(url);
    const hosted = await t.json({ method: 'GET', url: `${base}/jsonldContexts?details=true&kind=Hosted` });
    expect(hosted.body.find((c: { localId: string }) => c.localId === id)).toMatchObject({
      URL: url,
      kind: 'Hosted',
    });
    const cached = await t.json({ method: 'GET', url: `${base}/jsonldContexts?kind=Cached` });
    expect(cached.body).not.toContain(url);
    for (const q of ['kind=Remote', 'details=yes']) {
      const bad = await t.json({ method: 'GET', url: `${base}/jsonldContexts?${q}` });
      expect(bad.status).toBe(400);
      expect(bad.body.type).toBe(`${errors}BadRequestData`);
    }
  });

  it('keeps each tenant to its own contexts', async () => {
    const { url, id } = await host({ lid: 'https://kk.example/ns#lid' }, { 'ngsild-tenant': 'udon' });
    const kk = await t.json({ method: 'GET', url: `${base}/jsonldContexts/${id}` });
    expect(kk.status).toBe(404);
    expect((await t.json({ method: 'GET', url: `${base}/jsonldContexts` })).body).not.toContain(url);
    const udon = { 'ngsild-tenant': 'udon' };
    expect((await t.json({ method: 'GET', url: `${base}/jsonldContexts`, headers: udon })).body).toEqual([
      url,
    ]);
    const used = await t.json({ method: 'GET', url: `${base}/types`, headers: { link: link(url) } });
    expect(used.status).toBe(503);
    expect(used.body.type).toBe(`${errors}LdContextNotAvailable`);
    const own = await t.json({ method: 'GET', url: `${base}/types`, headers: { ...udon, link: link(url) } });
    expect(own.status).toBe(200);
  });

  it('lets only staff add or delete', async () => {
    const anon = await t.json({
      method: 'POST',
      url: `${base}/jsonldContexts`,
      payload: { '@context': binsContext },
    });
    expect(anon.status).toBe(401);
    const byCitizen = await t.json({
      method: 'POST',
      url: `${base}/jsonldContexts`,
      headers: citizen,
      payload: { '@context': binsContext },
    });
    expect(byCitizen.status).toBe(403);
    const { id } = await host(binsContext);
    const del = await t.json({ method: 'DELETE', url: `${base}/jsonldContexts/${id}`, headers: citizen });
    expect(del.status).toBe(403);
  });

  it('refuses what is not a JSON-LD context, too large a body, and unknown ids', async () => {
    const post = (payload: string, type = 'application/json') =>
      t.json({
        method: 'POST',
        url: `${base}/jsonldContexts`,
        headers: { ...staff, 'content-type': type },
        payload,
      });
    const notJson = await post('{"@context": {');
    expect(notJson.status).toBe(400);
    expect(notJson.body.type).toBe(`${errors}InvalidRequest`);
    for (const body of [
      { WasteBin: 'https://kk.example/ns#WasteBin' },
      { '@context': 42 },
      { '@context': 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld' },
      { '@context': { fill: 3 } },
      { '@context': { fill: { '@id': 3 } } },
      { '@context': { '@graph': [] } },
      { '@context': ['not a url'] },
      { '@context': binsContext, id: 'urn:x' },
      [{ '@context': binsContext }],
    ]) {
      const res = await post(JSON.stringify(body), 'application/ld+json');
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.type).toBe(`${errors}BadRequestData`);
    }
    const huge = await post(
      JSON.stringify({ '@context': { big: `https://x.example/${'x'.repeat(600_000)}` } }),
    );
    expect(huge.status).toBe(413);
    const missing = await post(JSON.stringify({ '@context': [`${origin}/missing.jsonld`] }));
    expect(missing.status).toBe(503);
    expect(missing.body.type).toBe(`${errors}LdContextNotAvailable`);
    const count = (await t.db.rows(sql`SELECT 1 FROM ctx_jsonld_contexts WHERE kind = 'Hosted'`)).length;
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const method of ['GET', 'DELETE'] as const) {
      const res = await t.json({ method, url: `${base}/jsonldContexts/${unknown}`, headers: staff });
      expect(res.status).toBe(404);
      expect(res.body.type).toBe(`${errors}ResourceNotFound`);
    }
    expect((await t.db.rows(sql`SELECT 1 FROM ctx_jsonld_contexts WHERE kind = 'Hosted'`)).length).toBe(
      count,
    );
  });

  it('refuses to delete a context a subscription uses, then deletes it once unused', async () => {
    const { url, id } = await host(binsContext);
    const sub = {
      id: `urn:ngsi-ld:Subscription:hosted-${id}`,
      type: 'Subscription',
      entities: [{ type: 'WasteBin' }],
      notification: { endpoint: { uri: 'http://127.0.0.1:9/hook', accept: 'application/json' } },
    };
    const made = await t.json({
      method: 'POST',
      url: `${base}/subscriptions`,
      headers: { ...staff, link: link(url) },
      payload: sub,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const refused = await t.json({ method: 'DELETE', url: `${base}/jsonldContexts/${id}`, headers: staff });
    expect(refused.status).toBe(400);
    expect(refused.body.type).toBe(`${errors}BadRequestData`);
    expect(refused.body.detail).toContain(sub.id);
    const reload = await t.json({
      method: 'DELETE',
      url: `${base}/jsonldContexts/${id}?reload=true`,
      headers: staff,
    });
    expect(reload.status).toBe(400);
    await t.json({ method: 'DELETE', url: `${base}/subscriptions/${sub.id}`, headers: staff });
    const deleted = await t.json({ method: 'DELETE', url: `${base}/jsonldContexts/${id}`, headers: staff });
    expect(deleted.status).toBe(204);
    expect((await t.json({ method: 'GET', url: `${base}/jsonldContexts/${id}` })).status).toBe(404);
    const audited = await t.db.rows<{ action: string }>(
      sql`SELECT action FROM core_audit_log WHERE resource_id = ${id} ORDER BY id`,
    );
    expect(audited.map((a) => a.action)).toEqual([
      'ngsi-ld.jsonld-context.create',
      'ngsi-ld.jsonld-context.delete',
    ]);
    // The broker no longer resolves it (and nothing answers at that address).
    const gone = await t.json({ method: 'GET', url: `${base}/types`, headers: { link: link(url) } });
    expect(gone.status).toBe(503);
  });

  it('gives a subscription made with an inline @context an ImplicitlyCreated one, named in its Link', async () => {
    const sub = {
      id: 'urn:ngsi-ld:Subscription:inline-context',
      type: 'Subscription',
      entities: [{ type: 'WasteBin' }],
      watchedAttributes: ['fillLevel'],
      notification: { endpoint: { uri: 'http://127.0.0.1:9/hook', accept: 'application/json' } },
      '@context': [binsContext, 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld'],
    };
    const made = await t.json({
      method: 'POST',
      url: `${base}/subscriptions`,
      headers: { ...staff, 'content-type': 'application/ld+json' },
      payload: sub,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const implicit = await t.json({
      method: 'GET',
      url: `${base}/jsonldContexts?kind=ImplicitlyCreated&details=true`,
    });
    expect(implicit.body).toHaveLength(1);
    const { URL: url, localId } = implicit.body[0];
    const served = await t.json({ method: 'GET', url: `${base}/jsonldContexts/${localId}` });
    expect(served.body['@context']).toEqual(sub['@context']);
    // What a notification carries too: the Link names the context the terms are compacted with.
    const read = await t.json({ method: 'GET', url: `${base}/subscriptions/${sub.id}`, headers: staff });
    expect(String(read.headers.link)).toContain(`<${url}>`);
    expect(read.body.watchedAttributes).toEqual(['fillLevel']);
    const refused = await t.json({
      method: 'DELETE',
      url: `${base}/jsonldContexts/${localId}`,
      headers: staff,
    });
    expect(refused.status).toBe(400);
    await t.json({ method: 'DELETE', url: `${base}/subscriptions/${sub.id}`, headers: staff });
    expect((await t.json({ method: 'GET', url: `${base}/jsonldContexts/${localId}` })).status).toBe(404);
  });

  it('notifies with the jsonldContext a subscription names, not its own', async () => {
    const own = await host(binsContext);
    const other = await host({
      Bin: 'https://kk.example/ns#WasteBin',
      level: 'https://kk.example/ns#fillLevel',
    });
    const sub = {
      id: 'urn:ngsi-ld:Subscription:jsonld-context',
      type: 'Subscription',
      entities: [{ type: 'WasteBin' }],
      watchedAttributes: ['fillLevel'],
      jsonldContext: other.url,
      notification: { endpoint: { uri: `${origin}/hook`, accept: 'application/json' } },
    };
    const made = await t.json({
      method: 'POST',
      url: `${base}/subscriptions`,
      headers: { ...staff, link: link(own.url) },
      payload: sub,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const b = bin();
    await t.json({
      method: 'POST',
      url: `${base}/entities`,
      headers: { ...staff, link: link(own.url) },
      payload: b,
    });
    notified.length = 0;
    await notificationDispatcher(t.db)?.drain();
    expect(notified).toHaveLength(1);
    expect(notified[0].link).toContain(`<${other.url}>`);
    expect(notified[0].body.data[0]).toMatchObject({ id: b.id, type: 'Bin', level: { value: 0.7 } });
    const refused = await t.json({
      method: 'DELETE',
      url: `${base}/jsonldContexts/${other.id}`,
      headers: staff,
    });
    expect(refused.status).toBe(400);
    const bad = await t.json({
      method: 'PATCH',
      url: `${base}/subscriptions/${sub.id}`,
      headers: staff,
      payload: { jsonldContext: 'not a url' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.type).toBe(`${errors}BadRequestData`);
    await t.json({ method: 'DELETE', url: `${base}/subscriptions/${sub.id}`, headers: staff });
  });

  it('caches a remote context per tenant, serves its metadata, reloads and forgets it', async () => {
    const remote = `${origin}/bins.jsonld`;
    version = 1;
    hits.clear();
    const use = (headers: Record<string, string> = {}) =>
      t.json({ method: 'GET', url: `${base}/types`, headers: { ...headers, link: link(remote) } });
    expect((await use()).status).toBe(200);
    expect((await use({ 'ngsild-tenant': 'udon' })).status).toBe(200);
    expect(hits.get('/bins.jsonld')).toBe(1); // fetched once, recorded for both tenants
    const cached = await t.json({ method: 'GET', url: `${base}/jsonldContexts?kind=Cached&details=true` });
    const entry = cached.body.find((c: { URL: string }) => c.URL === remote);
    expect(entry).toMatchObject({ kind: 'Cached', URL: remote });
    const udonList = await t.json({
      method: 'GET',
      url: `${base}/jsonldContexts?kind=Cached`,
      headers: { 'ngsild-tenant': 'udon' },
    });
    expect(udonList.body).toContain(remote);

    const byUrl = await t.json({
      method: 'GET',
      url: `${base}/jsonldContexts/${encodeURIComponent(remote)}`,
    });
    expect(byUrl.status).toBe(422);
    expect(byUrl.body.type).toBe(`${errors}OperationNotSupported`);
    const meta = await t.json({
      method: 'GET',
      url: `${base}/jsonldContexts/${encodeURIComponent(remote)}?details=true`,
    });
    expect(meta.body.localId).toBe(entry.localId);

    // Reload: downloaded again, and the new definition is what terms mean from now on.
    version = 2;
    const reloaded = await t.json({
      method: 'DELETE',
      url: `${base}/jsonldContexts/${entry.localId}?reload=true`,
      headers: staff,
    });
    expect(reloaded.status, JSON.stringify(reloaded.body)).toBe(204);
    expect(hits.get('/bins.jsonld')).toBe(2);
    const attrs = await t.json({
      method: 'GET',
      url: `${base}/attributes/fill`,
      headers: { link: link(remote) },
    });
    expect(attrs.body.detail ?? '').toContain('https://kk.example/ns/v2#fill');

    // Delete: the next use fetches it again.
    const del = await t.json({
      method: 'DELETE',
      url: `${base}/jsonldContexts/${encodeURIComponent(remote)}`,
      headers: staff,
    });
    expect(del.status).toBe(204);
    expect((await t.json({ method: 'GET', url: `${base}/jsonldContexts?kind=Cached` })).body).not.toContain(
      remote,
    );
    expect((await use()).status).toBe(200);
    expect(hits.get('/bins.jsonld')).toBe(2); // udon still keeps its copy, so nothing is fetched
  });

  it('answers 504 LdContextNotAvailable when a reload cannot download', async () => {
    const remote = `${origin}/bins.jsonld`;
    expect(
      (await t.json({ method: 'GET', url: `${base}/types`, headers: { link: link(remote) } })).status,
    ).toBe(200);
    const [row] = await t.db.rows<{ id: string }>(
      sql`SELECT id FROM ctx_jsonld_contexts WHERE tenant = '' AND url = ${remote}`,
    );
    await t.db.rows(
      sql`UPDATE ctx_jsonld_contexts SET url = ${`${origin}/gone.jsonld`} WHERE id = ${row.id}`,
    );
    const res = await t.json({
      method: 'DELETE',
      url: `${base}/jsonldContexts/${row.id}?reload=true`,
      headers: staff,
    });
    expect(res.status).toBe(504);
    expect(res.body.type).toBe(`${errors}LdContextNotAvailable`);
  });

  it('keeps hosted contexts across a restart', async () => {
    const { url } = await host(binsContext);
    clearHosted();
    clearRemoteContexts();
    const restarted = await buildApp({
      config: t.config,
      db: t.db,
      events: t.events,
      modules,
      logger: false,
    });
    try {
      await restarted.ready();
      const res = await restarted.inject({
        method: 'GET',
        url: `${base}/types`,
        headers: { link: link(url) },
      });
      expect(res.statusCode, res.body).toBe(200);
    } finally {
      await restarted.close();
    }
  });
});
