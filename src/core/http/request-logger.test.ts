import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { requestLogger } from './request-logger.ts';

function logger(level: string) {
  const lines: Record<string, unknown>[] = [];
  const root = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { root, lines };
}

describe('requestLogger', () => {
  it('makes the child only when something is logged at an enabled level', () => {
    const { root, lines } = logger('warn');
    const child = vi.spyOn(root, 'child');
    const log = requestLogger(root, { reqId: 'r-1' }, {});
    log.info('not at this level');
    log.debug({ x: 1 }, 'nor this');
    expect(child).not.toHaveBeenCalled();
    expect(log.level).toBe('warn');
    log.warn({ x: 2 }, 'this one');
    log.error('and this');
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines).toMatchObject([
      { level: 40, reqId: 'r-1', x: 2, msg: 'this one' },
      { level: 50, reqId: 'r-1', msg: 'and this' },
    ]);
  });

  it('writes the same lines as a pino child, and children of it carry both bindings', () => {
    const { root, lines } = logger('info');
    const log = requestLogger(root, { reqId: 'r-2' }, {});
    log.info({ a: 1 }, 'hello %s', 'world');
    root.child({ reqId: 'r-2' }).info({ a: 1 }, 'hello %s', 'world');
    log.child({ job: 'j' }).info('nested');
    const strip = ({ time: _t, ...rest }: Record<string, unknown>) => rest;
    expect(strip(lines[0] as Record<string, unknown>)).toEqual(strip(lines[1] as Record<string, unknown>));
    expect(lines[2]).toMatchObject({ reqId: 'r-2', job: 'j', msg: 'nested' });
    expect((log as unknown as pino.Logger).bindings()).toEqual({ reqId: 'r-2' });
  });

  it('honours a level set on the request logger', () => {
    const { root, lines } = logger('info');
    const log = requestLogger(root, { reqId: 'r-3' }, {});
    log.level = 'error';
    log.warn('hidden');
    log.error('shown');
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
    expect(root.level).toBe('info');
  });
});
