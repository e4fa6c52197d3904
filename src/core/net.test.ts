import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { choosePort, portIsFree } from './net.ts';

describe('choosePort', () => {
  it('keeps a free port, moves off a taken default, refuses a taken explicit one', async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    const taken = (s.address() as { port: number }).port;
    try {
      expect(await portIsFree(taken, '127.0.0.1')).toBe(false);
      const moved = await choosePort(taken, '127.0.0.1', false, 'PORT');
      expect(moved).toBeGreaterThan(taken);
      expect(await portIsFree(moved, '127.0.0.1')).toBe(true);
      await expect(choosePort(taken, '127.0.0.1', true, 'PORT')).rejects.toThrow(
        `PORT=${taken} is already in use`,
      );
      expect(await choosePort(0, '127.0.0.1', true, 'PORT')).toBe(0);
    } finally {
      s.close();
    }
  });
});
