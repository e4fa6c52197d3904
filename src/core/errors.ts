import { type Locale, type Text, t, translate } from './i18n.ts';

/** One field's error as the server code states it; `message` may be a `msg()` put in the reader's language. */
export interface FieldError {
  path: string;
  message: Text;
  /**
   * What is wrong, for a program: the JSON Schema keyword that failed (`type`, `required`, …) or a
   * message code (`tax.use_shares`). Defaults to the message's key, else to the problem's code.
   */
  keyword?: string;
  /** The keyword's parameters (`limit`, `type`, …), for clients that word the message themselves. */
  params?: Record<string, unknown>;
}

/** One field's error as the client receives it. */
export interface ProblemFieldError {
  path: string;
  message: string;
  keyword: string;
  params?: Record<string, unknown>;
}

/** The one error type: a stable code, an HTTP status and a message key (the code itself by default). */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail?: Text,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail === undefined ? code : translate(detail, 'en'));
  }

  static badRequest(code = 'request.invalid', detail?: Text, errors?: FieldError[]) {
    return new AppError(400, code, detail, errors);
  }
  static unauthorized(code = 'auth.required') {
    return new AppError(401, code);
  }
  static forbidden(code = 'auth.forbidden') {
    return new AppError(403, code);
  }
  static notFound(code = 'resource.not_found', detail?: Text) {
    return new AppError(404, code, detail);
  }
  static conflict(code: string, detail?: Text) {
    return new AppError(409, code, detail);
  }

  /** The detail in `locale`, if there is one. */
  detailIn(locale: Locale): string | undefined {
    return this.detail === undefined ? undefined : translate(this.detail, locale);
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  instance?: string;
  errors?: ProblemFieldError[];
}

/** RFC 9457 problem details; `type` is a stable URI built from the code. */
export function toProblem(error: AppError, locale: Locale, instance?: string): Problem {
  const title = t(error.code, locale);
  const detail = error.detailIn(locale);
  return {
    type: `https://mueang.dev/problems/${error.code.replace(/\./g, '/')}`,
    title,
    status: error.status,
    ...(detail ? { detail } : {}),
    code: error.code,
    ...(instance ? { instance } : {}),
    ...(error.errors?.length ? { errors: error.errors.map((e) => fieldProblem(e, error.code, locale)) } : {}),
  };
}

function fieldProblem(e: FieldError, code: string, locale: Locale): ProblemFieldError {
  return {
    path: e.path,
    message: translate(e.message, locale),
    keyword: e.keyword ?? (typeof e.message === 'string' ? code : e.message.key),
    ...(e.params ? { params: e.params } : {}),
  };
}
