import { describe, expect, it, vi } from 'vitest';

vi.mock('./i18n.ts', () => ({ default: { language: 'th' } }));
const { ProblemError, requestHeaders, toProblem } = await import('./api.ts');

describe('api client', () => {
  it('sends the CSRF token only on unsafe methods, and the UI language always', () => {
    expect(requestHeaders('POST', true, 'en', 'tok')).toMatchObject({
      'x-csrf-token': 'tok',
      'accept-language': 'en',
      'content-type': 'application/json',
    });
    expect(requestHeaders('GET', false, 'th', 'tok')).not.toHaveProperty('x-csrf-token');
    expect(requestHeaders('DELETE', false, 'th', null)).not.toHaveProperty('x-csrf-token');
  });

  it('reads problem details, and makes one from any other error body', async () => {
    const problem = await toProblem(
      new Response(
        JSON.stringify({
          title: 'ข้อมูลที่ส่งมาไม่ถูกต้อง',
          status: 400,
          code: 'request.invalid',
          errors: [{ path: '/email', message: 'bad' }],
        }),
        { status: 400 },
      ),
    );
    expect(problem.code).toBe('request.invalid');
    expect(new ProblemError(problem).fieldError('/email')).toBe('bad');
    const plain = await toProblem(new Response('Bad Gateway', { status: 502, statusText: 'Bad Gateway' }));
    expect(plain).toMatchObject({ status: 502, title: 'Bad Gateway' });
  });
});
