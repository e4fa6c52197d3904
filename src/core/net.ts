import { createServer } from 'node:net';

/** True when nothing listens on host:port (we try to bind it briefly). */
export function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/**
 * The port to use: the wanted one, or when it is taken and was not set explicitly the next free one
 * (as Vite does). An explicitly set port that is taken is an error naming the variable.
 */
export async function choosePort(
  wanted: number,
  host: string,
  explicit: boolean,
  variable: string,
): Promise<number> {
  if (wanted === 0) return 0;
  if (await portIsFree(wanted, host)) return wanted;
  if (explicit)
    throw new Error(`${variable}=${wanted} is already in use on ${host}; free it or choose another port`);
  for (let p = wanted + 1; p < wanted + 100 && p <= 65535; p++) {
    if (await portIsFree(p, host)) return p;
  }
  throw new Error(`No free port near ${wanted} for ${variable}`);
}
