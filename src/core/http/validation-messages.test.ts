import Fastify, { type FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { msg, pickLocale, registerMessages } from '../i18n.ts';
import { registerProblemHandlers } from './problems.ts';
import { validatorCompiler } from './validation.ts';

registerMessages({
  'test.too_wide': { th: 'กว้างเกิน {max} ซม.', en: 'wider than {max} cm' },
});

let app: FastifyInstance;
beforeAll(async () => {
  app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.decorateRequest('locale', 'th');
  app.addHook('onRequest', async (request) => {
    request.locale = pickLocale(request.headers['accept-language']);
  });
  registerProblemHandlers(app);
  const body = Type.Object(
    {
      name: Type.String({ minLength: 1, maxLength: 20 }),
      age: Type.Integer({ minimum: 0 }),
      kind: Type.Optional(Type.Union([Type.Literal('shop'), Type.Literal('home')])),
      note: Type.Optional(Type.Union([Type.String(), Type.Null()])),
      email: Type.Optional(Type.String({ format: 'email' })),
    },
    { additionalProperties: false },
  );
  app.post('/things', { schema: { body } }, async () => ({ ok: true }));
  app.get(
    '/things',
    { schema: { querystring: Type.Object({ limit: Type.Integer({ maximum: 100 }) }) } },
    async () => ({}),
  );
  app.post('/wide', async () => {
    throw AppError.badRequest('request.invalid', msg('test.too_wide', { max: 120 }), [
      { path: '/widthCm', message: msg('test.too_wide', { max: 120 }) },
    ]);
  });
  await app.ready();
});
afterAll(() => app?.close());

type Field = { path: string; message: string; keyword: string; params?: Record<string, unknown> };

async function post(payload: unknown, language?: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/things',
    payload: payload as object,
    headers: language ? { 'accept-language': language } : {},
  });
  expect(res.statusCode).toBe(400);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json() as { code: string; title: string; detail: string; errors: Field[] };
  expect(body.code).toBe('request.invalid');
  return body;
}

const thai = /[\u0E00-\u0E7F]/;

describe('schema errors follow the request language', () => {
  it('words a wrong type in Thai by default, with Thai type names', async () => {
    const body = await post({ name: 'a', age: 'ten' });
    expect(body.title).toBe('ข้อมูลที่ส่งมาไม่ถูกต้อง');
    expect(body.errors).toEqual([
      { path: '/body/age', message: 'ต้องเป็น จำนวนเต็ม', keyword: 'type', params: { type: 'integer' } },
    ]);
    expect(body.detail).toBe('/body/age ต้องเป็น จำนวนเต็ม');
  });

  it('words a wrong type in English for Accept-Language: en', async () => {
    const body = await post({ name: 'a', age: 'ten' }, 'en-GB,en;q=0.9');
    expect(body.title).toBe('The request is not valid');
    expect(body.errors).toEqual([
      { path: '/body/age', message: 'must be integer', keyword: 'type', params: { type: 'integer' } },
    ]);
    expect(body.detail).toBe('/body/age must be integer');
  });

  it('names each missing property at its own path, in both languages', async () => {
    const th = await post({}, 'th');
    expect(th.errors.map((e) => [e.path, e.keyword])).toEqual([
      ['/body/name', 'required'],
      ['/body/age', 'required'],
    ]);
    expect(th.errors[0].message).toBe('ต้องมีคุณสมบัติที่จำเป็น name');
    expect(th.errors[0].params).toEqual({ requiredProperties: ['name'] });
    const en = await post({}, 'en');
    expect(en.errors.map((e) => e.message)).toEqual([
      'must have required properties name',
      'must have required properties age',
    ]);
  });

  it('names each unknown property once, at its own path, in both languages', async () => {
    const payload = { name: 'a', age: 1, isAdmin: true, 'a/b': 1 };
    const th = await post(payload);
    expect(th.errors).toEqual([
      {
        path: '/body/isAdmin',
        message: 'ต้องไม่มีคุณสมบัติเพิ่มเติม',
        keyword: 'additionalProperties',
        params: { additionalProperties: ['isAdmin'] },
      },
      {
        path: '/body/a~1b',
        message: 'ต้องไม่มีคุณสมบัติเพิ่มเติม',
        keyword: 'additionalProperties',
        params: { additionalProperties: ['a/b'] },
      },
    ]);
    const en = await post(payload, 'en');
    expect(en.errors.map((e) => [e.path, e.message])).toEqual([
      ['/body/isAdmin', 'must not have additional properties'],
      ['/body/a~1b', 'must not have additional properties'],
    ]);
  });

  it('words a union of constants as one choice and a nullable type as one type error', async () => {
    const th = await post({ name: 'a', age: 1, kind: 'farm', note: 5 });
    expect(th.errors).toEqual([
      {
        path: '/body/kind',
        message: 'ต้องเท่ากับหนึ่งในค่าที่อนุญาต',
        keyword: 'anyOf',
        params: { allowedValues: ['shop', 'home'] },
      },
      {
        path: '/body/note',
        message: 'ต้องเป็นอย่างใดอย่างหนึ่ง ข้อความ หรือ ค่าว่าง (null)',
        keyword: 'anyOf',
        params: { type: ['string', 'null'] },
      },
    ]);
    const en = await post({ name: 'a', age: 1, kind: 'farm', note: 5 }, 'en');
    expect(en.errors.map((e) => e.message)).toEqual([
      'must be equal to one of the allowed values',
      'must be either string or null',
    ]);
  });

  it('words limits with their numbers, and several errors in one detail', async () => {
    const th = await post({ name: '', age: -1 });
    expect(th.errors).toEqual([
      { path: '/body/name', message: 'ต้องไม่มีน้อยกว่า 1 ตัวอักษร', keyword: 'minLength', params: { limit: 1 } },
      {
        path: '/body/age',
        message: 'ต้องเป็น >= 0',
        keyword: 'minimum',
        params: { comparison: '>=', limit: 0 },
      },
    ]);
    expect(th.detail).toBe('/body/name ต้องไม่มีน้อยกว่า 1 ตัวอักษร; /body/age ต้องเป็น >= 0');
    const en = await post({ name: '', age: -1 }, 'en');
    expect(en.detail).toBe('/body/name must not have fewer than 1 characters; /body/age must be >= 0');
  });

  it('names the query string as the part that failed', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/things?limit=500',
      headers: { 'accept-language': 'en' },
    });
    expect(res.json().errors).toEqual([
      {
        path: '/querystring/limit',
        message: 'must be <= 100',
        keyword: 'maximum',
        params: { comparison: '<=', limit: 100 },
      },
    ]);
  });

  it('never leaves a Thai reader with English words for a type or a keyword it knows', async () => {
    const th = await post({ name: 5, age: true, note: [] });
    for (const e of th.errors) expect(e.message, e.path).toMatch(thai);
    expect(th.errors.map((e) => e.message).join(' ')).not.toMatch(
      /\b(string|integer|boolean|array|object)\b/,
    );
  });
});

describe('messages written by the server follow the request language', () => {
  it('fills the placeholders of the detail and the field message, Thai or English, keyword = message key', async () => {
    const th = await app.inject({ method: 'POST', url: '/wide' });
    expect(th.json()).toMatchObject({
      detail: 'กว้างเกิน 120 ซม.',
      errors: [{ path: '/widthCm', message: 'กว้างเกิน 120 ซม.', keyword: 'test.too_wide' }],
    });
    const en = await app.inject({ method: 'POST', url: '/wide', headers: { 'accept-language': 'en' } });
    expect(en.json()).toMatchObject({
      detail: 'wider than 120 cm',
      errors: [{ path: '/widthCm', message: 'wider than 120 cm', keyword: 'test.too_wide' }],
    });
  });
});
