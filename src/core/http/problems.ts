import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TValidationError } from 'typebox/error';
import { AppError, toProblem } from '../errors.ts';
import { type Locale, msg } from '../i18n.ts';
import { schemaFieldErrors } from './validation-messages.ts';

/** Turns every error into RFC 9457 problem details; a 5xx never shows its internals. */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error, request.locale ?? 'th');
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.debug({ code: appError.code }, 'request rejected');
    return sendProblem(request, reply, appError);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, AppError.notFound('route.not_found')),
  );
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  if (error.headers) reply.headers(error.headers);
  return reply
    .code(error.status)
    .type('application/problem+json; charset=utf-8')
    .send(toProblem(error, request.locale ?? 'th', request.url.split('?')[0]));
}

function toAppError(error: FastifyError, locale: Locale): AppError {
  if (error instanceof AppError) return error;
  if (error.validation) {
    const errors = schemaFieldErrors(
      error.validation as unknown as TValidationError[],
      error.validationContext,
      locale,
    );
    return AppError.badRequest(
      'request.invalid',
      errors.map((e) => `${e.path} ${e.message as string}`).join('; '),
      errors,
    );
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError(413, 'request.too_large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(415, 'request.unsupported_media_type');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError(400, 'request.malformed', error.message);
  }
  const pgCode = postgresCode(error);
  if (pgCode === '23505') return new AppError(409, 'resource.conflict');
  if (pgCode === '23503') return new AppError(400, 'resource.reference_invalid');
  if (pgCode === '23514' || pgCode === '23502')
    return new AppError(400, 'request.invalid', msg('request.data_rule'));
  if (pgCode === '22P02' || pgCode === '22007' || pgCode === '22008')
    return new AppError(400, 'request.invalid');
  if (error.statusCode === 429) return new AppError(429, 'request.rate_limited');
  if (error instanceof SyntaxError || error.statusCode === 400) {
    return new AppError(400, 'request.malformed', error.message);
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError(error.statusCode, 'request.invalid', error.message);
  }
  return new AppError(500, 'server.error');
}

/** The SQLSTATE of a database error, which drizzle wraps in its own error as `cause`. */
function postgresCode(error: unknown): string | undefined {
  for (
    let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 3;
    e = e.cause as typeof e, depth++
  ) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}
