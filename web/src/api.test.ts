import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('./i18n.ts', () => ({ default: { language: 'th' } }));
const { api, ProblemError, rememberCsrf, requestHeaders, toProblem } = await import('./api.ts');

const json = (body: unknown, status = 200, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

/** A fake `fetch` answering from a list, recording each request. */
function fakeFetch(...answers: Response[]) {
  const calls: { url: string; init: RequestInit; headers: Record<string, string> }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push({ url, init, headers: init.headers as Record<string, string> });
      const answer = answers.shift();
      if (!answer) throw new Error(`unexpected request to ${url}`);
      return answer;
    }),
  );
  return calls;
}

/** The ProblemError a call fails with. */
async function failure(call: Promise<unknown>) {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProblemError);
  return error as InstanceType<typeof ProblemError>;
}

afterEach(() => {
  vi.unstubAllGlobals();
  rememberCsrf(null);
});

describe('api client', () => {
  it('sends the CSRF token only on unsafe methods, and the UI language always', () => {
    expect(requestHeaders('POST', true, 'en', 'tok')).toMatchObject({
      'x-csrf-token': 'tok',
      'accept-language': 'en',
      'content-type': 'application/json',
    });
    for (const method of ['PUT', 'PATCH', 'DELETE'])
      expect(requestHeaders(method, false, 'th', 'tok')).toHaveProperty('x-csrf-token', 'tok');
    expect(requestHeaders('GET', false, 'th', 'tok')).not.toHaveProperty('x-csrf-token');
    expect(requestHeaders('DELETE', false, 'th', null)).not.toHaveProperty('x-csrf-token');
  });

  it('reads problem details, and makes one from any other error body', async () => {
    const problem = await toProblem(
      json(
        {
          type: 'about:blank',
          title: 'ข้อมูลที่ส่งมาไม่ถูกต้อง',
          status: 400,
          code: 'request.invalid',
          errors: [{ path: '/email', message: 'bad' }],
        },
        400,
        'application/problem+json',
      ),
    );
    expect(problem.code).toBe('request.invalid');
    expect(new ProblemError(problem).fieldError('/email')).toBe('bad');
    expect(new ProblemError(problem).fieldError('/phone')).toBeUndefined();
    const plain = await toProblem(new Response('Bad Gateway', { status: 502, statusText: 'Bad Gateway' }));
    expect(plain).toMatchObject({ status: 502, title: 'Bad Gateway' });
  });

  it('posts JSON with the cookie and the remembered CSRF token, and returns the body', async () => {
    const calls = fakeFetch(json({ id: 't1', token: 'mue_x' }, 201), new Response(null, { status: 204 }));
    rememberCsrf('csrf-1');
    expect(await api('POST', '/api/tokens', { name: 'ci' })).toEqual({ id: 't1', token: 'mue_x' });
    expect(calls[0].init).toMatchObject({
      method: 'POST',
      credentials: 'same-origin',
      body: '{"name":"ci"}',
    });
    expect(calls[0].headers).toMatchObject({ 'x-csrf-token': 'csrf-1', 'accept-language': 'th' });
    expect(await api('DELETE', '/api/tokens/t1')).toBeUndefined();
  });

  it('throws the problem as a ProblemError', async () => {
    fakeFetch(json({ title: 'อีเมลหรือรหัสผ่านไม่ถูกต้อง', status: 401, code: 'auth.invalid_credentials' }, 401));
    const error = await failure(api('POST', '/api/auth/login', { email: 'a', password: 'b' }));
    expect(error).toBeInstanceOf(ProblemError);
    expect(error.problem).toMatchObject({ status: 401, code: 'auth.invalid_credentials' });
  });

  it('fetches a fresh CSRF token once when the server refuses the old one', async () => {
    const calls = fakeFetch(
      json({ title: 'CSRF', status: 403, code: 'auth.csrf' }, 403),
      json({ id: 'u1', csrfToken: 'csrf-2' }),
      new Response(null, { status: 204 }),
    );
    rememberCsrf('csrf-1');
    await api('POST', '/api/auth/logout');
    expect(calls.map((c) => c.url)).toEqual(['/api/auth/logout', '/api/me', '/api/auth/logout']);
    expect(calls[2].headers['x-csrf-token']).toBe('csrf-2');

    // Any other 403 is final.
    fakeFetch(json({ title: 'Forbidden', status: 403, code: 'auth.forbidden' }, 403));
    const error = await failure(api('DELETE', '/api/tokens/t1'));
    expect(error.problem.code).toBe('auth.forbidden');
  });
});
