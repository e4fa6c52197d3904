import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Logger } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type Args = Parameters<FastifyBaseLogger['info']>;

/**
 * A request's logger (`request.log`) that becomes a pino child with the request id only when
 * something logs through it. Fastify makes that child for every request, ~2 % of a cached
 * authenticated request's CPU, and most requests log nothing but the access line, which
 * AccessLog writes through the server's logger with the same `reqId`.
 */
class RequestLogger {
  #real: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly own: Bindings,
  ) {}

  private get real(): Logger {
    this.#real ??= this.parent.child(this.own);
    return this.#real as Logger;
  }

  private at(level: Level, args: Args): void {
    if (this.#real === undefined && !this.parent.isLevelEnabled(level)) return;
    (this.real[level] as (...a: Args) => void)(...args);
  }

  get level(): string {
    return (this.#real ?? this.parent).level;
  }
  set level(level: string) {
    this.real.level = level;
  }
  isLevelEnabled(level: string): boolean {
    return (this.#real ?? this.parent).isLevelEnabled(level);
  }
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }
  bindings(): Bindings {
    return this.real.bindings();
  }
  fatal(...args: Args): void {
    this.at('fatal', args);
  }
  error(...args: Args): void {
    this.at('error', args);
  }
  warn(...args: Args): void {
    this.at('warn', args);
  }
  info(...args: Args): void {
    this.at('info', args);
  }
  debug(...args: Args): void {
    this.at('debug', args);
  }
  trace(...args: Args): void {
    this.at('trace', args);
  }
  silent(): void {}
}

/** Fastify's `childLoggerFactory`: lazy for pino loggers, the plain child otherwise. */
export function requestLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  if (typeof (logger as Partial<Logger>).isLevelEnabled !== 'function' || Object.keys(options).length > 0)
    return logger.child(bindings, options);
  return new RequestLogger(logger as Logger, bindings) as unknown as FastifyBaseLogger;
}
