/** What the downlink form checks before sending; the API checks it all again. Values are message keys. */
export function checkDownlink(hex: string, fPort: string): { hex?: string; fPort?: string } {
  const errors: { hex?: string; fPort?: string } = {};
  if (!/^(?:[0-9a-fA-F]{2}){1,242}$/.test(compactHex(hex))) errors.hex = 'devices.downlinks.badHex';
  const p = Number(fPort);
  if (!/^\d+$/.test(fPort) || p < 1 || p > 223) errors.fPort = 'devices.downlinks.badPort';
  return errors;
}

/** Operators paste hex with spaces (as device manuals print it). */
export const compactHex = (hex: string) => hex.replace(/\s+/g, '');
