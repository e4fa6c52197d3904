import i18n from './i18n.ts';

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  /**
   * Field errors, worded in the request's language (`Accept-Language`). `keyword` is stable: the JSON
   * Schema keyword that failed (`type`, `required`, …) or the message code of a server check.
   */
  errors?: { path: string; message: string; keyword?: string; params?: Record<string, unknown> }[];
}

/**
 * A problem's title in the UI's current language: the web app's own words for the platform's common codes
 * (`problems.<code>`), else the server's title (in the language the request was sent in).
 */
export function problemTitle(
  problem: Problem,
  t: (key: string, options: { defaultValue: string }) => string,
) {
  return problem.code ? t(`problems.${problem.code}`, { defaultValue: problem.title }) : problem.title;
}

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
  fieldError(path: string): string | undefined {
    return this.problem.errors?.find((e) => e.path === path || e.path.endsWith(path))?.message;
  }
}

let csrfToken: string | null = null;
export function rememberCsrf(token: string | null | undefined) {
  csrfToken = token ?? null;
}

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Headers for a request: JSON, the UI language, and the CSRF token on unsafe methods. */
export function requestHeaders(
  method: string,
  hasBody: boolean,
  language: string,
  csrf: string | null,
): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': language };
  if (hasBody) headers['content-type'] = 'application/json';
  if (unsafe.has(method) && csrf) headers['x-csrf-token'] = csrf;
  return headers;
}

/** Reads an error response as RFC 9457 problem details, whatever the server sent. */
export async function toProblem(res: Response): Promise<Problem> {
  const text = await res.text();
  try {
    const body = JSON.parse(text);
    if (body && typeof body.title === 'string') return { ...body, status: body.status ?? res.status };
  } catch {}
  return {
    title: res.statusText || `HTTP ${res.status}`,
    status: res.status,
    detail: text.slice(0, 200) || undefined,
  };
}

function send(method: string, url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method,
    credentials: 'same-origin',
    headers: requestHeaders(method, body !== undefined, i18n.language, csrfToken),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/**
 * Calls the platform's API and returns the JSON body, or throws a `ProblemError`. When the server refuses
 * the CSRF token (the session changed in another tab), it fetches the current one and tries once more.
 */
export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  let res = await send(method, url, body);
  if (res.status === 403 && unsafe.has(method)) {
    const problem = await toProblem(res);
    if (problem.code !== 'auth.csrf') throw new ProblemError(problem);
    const me = await send('GET', '/api/me', undefined);
    if (!me.ok) throw new ProblemError(problem);
    rememberCsrf(((await me.json()) as { csrfToken?: string | null }).csrfToken);
    res = await send(method, url, body);
  }
  if (!res.ok) throw new ProblemError(await toProblem(res));
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export interface Me {
  id: string;
  kind: 'staff' | 'citizen';
  role: 'admin' | 'executive' | 'office_manager' | 'officer' | 'citizen';
  email: string | null;
  phone: string | null;
  displayName: string;
  officeId: string | null;
  officeCode: string | null;
  csrfToken: string | null;
}

export interface Meta {
  city: { id: string; nameTh: string; nameEn: string };
  demo: boolean;
  map: { tileUrl: string | null; center: [number, number]; zoom: number };
  dimensions: {
    id: string;
    nameTh: string;
    nameEn: string;
    modules: { id: string; nameTh: string; nameEn: string; path: string; status: 'active' | 'coming' }[];
  }[];
}
