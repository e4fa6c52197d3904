import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../core/http/app.ts';
import { isPublicAddress } from '../../core/public-address.ts';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { modules } from '../../modules/index.ts';
import { clearRemoteContexts } from './remote-contexts.ts';

const base = '/ngsi-ld/v1';
const errors = 'https://uri.etsi.org/ngsi-ld/errors/';
const hits = new Map<string, number>();
let server: Server;
let origin = '';

// A stand-in for a city partner's context server: a good context, one that refers to another,
// a redirect, and the ugly ones.
beforeAll(async () => {
  server = createServer((req, res) => {
    hits.set(req.url ?? '', (hits.get(req.url ?? '') ?? 0) + 1);
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/ld+json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/bins.jsonld')
      json({
        '@context': { WasteBin: 'https://kk.example/ns#WasteBin', fill: 'https://kk.example/ns#fill' },
      });
    else if (req.url === '/outer.jsonld')
      json({ '@context': [`${origin}/bins.jsonld`, { lid: 'https://kk.example/ns#lid' }] });
    else if (req.url === '/moved.jsonld') {
      res.writeHead(302, { location: '/bins.jsonld' });
      res.end();
    } else if (req.url === '/huge.jsonld') json({ '@context': { big: 'x'.repeat(600 * 1024) } });
    else if (req.url === '/html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>not a context</html>');
    } else if (req.url === '/plain.json') json({ WasteBin: 'https://kk.example/ns#WasteBin' });
    else {
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
const bin = (n: number) => ({
  id: `urn:ngsi-ld:WasteBin:kk-remote-${n}`,
  type: 'WasteBin',
  fill: { type: 'Property', value: 0.4 },
});

describe('remote @context, fetch allowed to any address (a city network with its own context server)', () => {
  let t: TestApp;
  let staff: Record<string, string>;
  beforeAll(async () => {
    t = await testApp({ env: { NGSI_LD_CONTEXT_FETCH: 'any' } });
    staff = await t.tokenFor('officer');
  });
  afterAll(() => t?.close());

  it('fetches a Link context once, expands its terms and compacts answers with it', async () => {
    const created = await t.json({
      method: 'POST',
      url: `${base}/entities`,
      headers: { ...staff, link: link(`${origin}/bins.jsonld`) },
      payload: bin(1),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const read = await t.json({
      method: 'GET',
      url: `${base}/entities/${bin(1).id}`,
      headers: { link: link(`${origin}/bins.jsonld`) },
    });
    expect(read.body.type).toBe('WasteBin');
    expect(read.body.fill.value).toBe(0.4);
    // Without the context the same entity shows full IRIs: the terms really were expanded.
    const plain = await t.json({ method: 'GET', url: `${base}/entities/${bin(1).id}` });
    expect(plain.body.type).toBe('https://kk.example/ns#WasteBin');
    expect(plain.body['https://kk.example/ns#fill'].value).toBe(0.4);
    expect(hits.get('/bins.jsonld')).toBe(1);
  });

  it('keeps what it fetched in the database, so after a restart nothing is fetched again', async () => {
    const headers = { link: link(`${origin}/bins.jsonld`) };
    expect((await t.json({ method: 'GET', url: `${base}/types`, headers })).status).toBe(200);
    const kept = await t.db.rows<{ url: string }>(
      sql`SELECT url FROM ctx_jsonld_contexts WHERE kind = 'Cached'`,
    );
    expect(kept.map((r) => r.url)).toContain(`${origin}/bins.jsonld`);
    const before = hits.get('/bins.jsonld');
    clearRemoteContexts(); // what a restart forgets
    const restarted = await buildApp({
      config: t.config,
      db: t.db,
      events: t.events,
      modules,
      logger: false,
    });
    try {
      await restarted.ready();
      const res = await restarted.inject({ method: 'GET', url: `${base}/entities/${bin(1).id}`, headers });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().type).toBe('WasteBin');
      expect(hits.get('/bins.jsonld')).toBe(before);
    } finally {
      await restarted.close();
    }
  });

  it('follows a context that refers to another, and a redirect', async () => {
    const res = await t.json({
      method: 'POST',
      url: `${base}/entities`,
      headers: { ...staff, 'content-type': 'application/ld+json' },
      payload: {
        ...bin(2),
        lid: { type: 'Property', value: 'closed' },
        '@context': `${origin}/outer.jsonld`,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const plain = await t.json({ method: 'GET', url: `${base}/entities/${bin(2).id}` });
    expect(plain.body['https://kk.example/ns#lid'].value).toBe('closed');
    const moved = await t.json({
      method: 'GET',
      url: `${base}/entities/${bin(2).id}`,
      headers: { link: link(`${origin}/moved.jsonld`) },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.type).toBe('WasteBin');
  });

  it.each([
    ['a missing document', '/missing.jsonld'],
    ['a document too large', '/huge.jsonld'],
    ['a page that is not JSON', '/html'],
    ['JSON without @context', '/plain.json'],
  ])('answers LdContextNotAvailable (503) for %s and stores nothing', async (_name, path) => {
    const res = await t.json({
      method: 'POST',
      url: `${base}/entities`,
      headers: { ...staff, link: link(`${origin}${path}`) },
      payload: bin(3),
    });
    expect(res.status).toBe(503);
    expect(res.body.type).toBe(`${errors}LdContextNotAvailable`);
    expect((await t.json({ method: 'GET', url: `${base}/entities/${bin(3).id}` })).status).toBe(404);
  });

  it('remembers a failure for a while instead of asking again on every request', async () => {
    const before = hits.get('/missing.jsonld') ?? 0;
    for (let i = 0; i < 3; i++)
      expect(
        (
          await t.json({
            method: 'GET',
            url: `${base}/types`,
            headers: { link: link(`${origin}/missing.jsonld`) },
          })
        ).status,
      ).toBe(503);
    expect(hits.get('/missing.jsonld')).toBe(before + 1);
  });
});

describe('remote @context, default policy (public addresses only)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t?.close());

  it('refuses to fetch from a private or loopback address, never touching it', async () => {
    const before = hits.get('/bins.jsonld') ?? 0;
    for (const url of [`${origin}/bins.jsonld`, `http://localhost:${new URL(origin).port}/bins.jsonld`]) {
      const res = await t.json({ method: 'GET', url: `${base}/types`, headers: { link: link(url) } });
      expect(res.status).toBe(503);
      expect(res.body.type).toBe(`${errors}LdContextNotAvailable`);
    }
    expect(hits.get('/bins.jsonld') ?? 0).toBe(before);
  });

  it('still refuses what is not a URL as bad data', async () => {
    const res = await t.json({ method: 'GET', url: `${base}/types`, headers: { link: link('not a url') } });
    expect(res.status).toBe(400);
  });

  it('knows which addresses are public', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      '::ffff:10.0.0.1',
      '0.0.0.0',
    ])
      expect(isPublicAddress(a), a).toBe(false);
    for (const a of ['203.150.1.1', '8.8.8.8', '2001:4860:4860::8888'])
      expect(isPublicAddress(a), a).toBe(true);
  });
});

describe('remote @context, fetching switched off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ seed: false, env: { NGSI_LD_CONTEXT_FETCH: 'off' } });
  });
  afterAll(() => t?.close());

  it('answers LdContextNotAvailable without fetching', async () => {
    const before = hits.get('/bins.jsonld') ?? 0;
    const res = await t.json({
      method: 'GET',
      url: `${base}/types`,
      headers: { link: link(`${origin}/bins.jsonld`) },
    });
    expect(res.status).toBe(503);
    expect(res.body.detail).toContain('switched off');
    expect(hits.get('/bins.jsonld') ?? 0).toBe(before);
  });
});
