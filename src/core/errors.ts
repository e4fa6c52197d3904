import { type Locale, t } from './i18n.ts';

export interface FieldError {
  path: string;
  message: string;
}

/** The one error type: a stable code, an HTTP status and a message key (the code itself by default). */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? code);
  }

  static badRequest(code = 'request.invalid', detail?: string, errors?: FieldError[]) {
    return new AppError(400, code, detail, errors);
  }
  static unauthorized(code = 'auth.required') {
    return new AppError(401, code);
  }
  static forbidden(code = 'auth.forbidden') {
    return new AppError(403, code);
  }
  static notFound(code = 'resource.not_found', detail?: string) {
    return new AppError(404, code, detail);
  }
  static conflict(code: string, detail?: string) {
    return new AppError(409, code, detail);
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  instance?: string;
  errors?: FieldError[];
}

/** RFC 9457 problem details; `type` is a stable URI built from the code. */
export function toProblem(error: AppError, locale: Locale, instance?: string): Problem {
  const title = t(error.code, locale);
  return {
    type: `https://mueang.dev/problems/${error.code.replace(/\./g, '/')}`,
    title,
    status: error.status,
    ...(error.detail ? { detail: error.detail } : {}),
    code: error.code,
    ...(instance ? { instance } : {}),
    ...(error.errors?.length ? { errors: error.errors } : {}),
  };
}
