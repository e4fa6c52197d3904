import { describe, expect, it } from 'vitest';
import { checkDownlink } from './downlink.ts';

describe('the downlink form', () => {
  it('takes 1 to 242 bytes of hex, spaces allowed, and an FPort of 1 to 223', () => {
    expect(checkDownlink('01 00 0e 10', '1')).toEqual({});
    expect(checkDownlink('ab'.repeat(242), '223')).toEqual({});
  });

  it('refuses odd, empty, too long or non-hex payloads and FPorts out of range', () => {
    for (const hex of ['', 'abc', 'zz', 'ab'.repeat(243), "01'; DROP TABLE x;--"])
      expect(checkDownlink(hex, '1').hex).toBe('devices.downlinks.badHex');
    for (const port of ['0', '224', '1.5', '-1', 'x', ''])
      expect(checkDownlink('01', port).fPort).toBe('devices.downlinks.badPort');
  });
});
