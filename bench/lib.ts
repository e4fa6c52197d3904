// Shared helpers for the benchmarks: free ports, spawning the platform, RSS from /proc, cleanup.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export const root = resolve(import.meta.dirname, '..');

/**
 * What `npm start` runs (package.json's start script, `node <flags> bin/start.js start`), as a command
 * and arguments for spawn, so that the benchmarks measure the same process a person starts.
 */
export function npmStart(): { command: string; args: string[] } {
  const script = (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }
  ).scripts.start;
  const [command, ...args] = script.split(/\s+/);
  if (command !== 'node')
    throw new Error(`package.json's start script is not a plain node command: ${script}`);
  return { command: process.execPath, args };
}
const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

/** Kills every child still running and removes temp dirs; synchronous so it also works in 'exit'. */
function cleanupNow(): void {
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      for (const pid of descendants(child.pid)) trySignal(pid, 'SIGKILL');
      trySignal(child.pid, 'SIGKILL');
    }
  }
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}
process.on('exit', cleanupNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    cleanupNow();
    process.exit(130);
  });

function trySignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {}
}

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/**
 * A port that is free on all interfaces, picked below the kernel's ephemeral range so that an outgoing
 * connection (the platform's own MQTT client, our polling) cannot take it between the check and the listen.
 */
export async function freePort(): Promise<number> {
  const low = Number(procFile('/proc/sys/net/ipv4/ip_local_port_range').split(/\s+/)[0]) || 32768;
  for (;;) {
    const port = 10_000 + Math.floor(Math.random() * (Math.min(low, 65_536) - 10_000));
    const free = await new Promise<boolean>((ok) => {
      const server = createServer();
      server.once('error', () => ok(false));
      server.listen(port, '0.0.0.0', () => server.close(() => ok(true)));
    });
    if (free) return port;
  }
}

function procFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** All processes below `pid` (scans /proc for parent links). */
export function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procFile(`/proc/${entry}/stat`);
    // Fields after the last ')' (the command name may contain spaces): state ppid ...
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parentOf.set(Number(entry), ppid);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [child, ppid] of parentOf) {
      if (ppid !== parent) continue;
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

export function cmdline(pid: number): string {
  return procFile(`/proc/${pid}/cmdline`).split('\0').join(' ').trim();
}

/** VmRSS and VmHWM (peak) of one process, in MB (from /proc/<pid>/status, kB). */
export function memory(pid: number): { rss: number; peak: number } {
  const status = procFile(`/proc/${pid}/status`);
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

export interface Proc {
  child: ChildProcess;
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
}

/** Spawns a command directly (no shell, no npm), keeping the last few kB of its output for errors. */
export function launch(command: string, args: string[], env: Record<string, string>): Proc {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: 'pipe' });
  children.add(child);
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const stop = async () => {
    const pid = child.pid;
    if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const tree = descendants(pid);
    child.kill('SIGTERM'); // tsx forwards SIGTERM to the node process it started
    const graceful = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
    if (!graceful) {
      child.kill('SIGKILL');
      for (const p of tree) trySignal(p, 'SIGKILL');
    }
    await exited;
    children.delete(child);
  };
  if (child.pid === undefined) throw new Error(`could not spawn ${command}`);
  return { child, pid: child.pid, output: () => out, stop };
}

/** Polls `url` every `everyMs` until it answers 200; fails if the process exits first or on timeout. */
export async function waitFor200(url: string, proc: Proc, everyMs = 50, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null)
      throw new Error(`process exited (${proc.child.exitCode ?? proc.child.signalCode}):\n${proc.output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`${url} not ready after ${timeoutMs} ms:\n${proc.output()}`);
    await sleep(everyMs);
  }
}

export interface Platform extends Proc {
  url: string;
  /** The node process that runs the server (the launched process itself; tsx would start a child). */
  serverPid: number;
  /** Seconds from the spawn to the first 200 from /readyz. */
  readyS: number;
}

/** Starts what `npm start` runs and waits for /readyz; retries a port clash. */
export async function startPlatform(
  dataDir: string,
  extraEnv: Record<string, string> = {},
  readyTimeoutMs = 120_000,
): Promise<Platform> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    let mqttPort = await freePort();
    while (mqttPort === port) mqttPort = await freePort();
    // The embedded database and broker, demo accounts on, whatever the caller's shell says.
    const env = {
      ...{ PORT: `${port}`, MQTT_PORT: `${mqttPort}`, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      ...{ DEMO: 'true', DATABASE_URL: '', MQTT_URL: '' },
    };
    const t0 = performance.now();
    const start = npmStart();
    const proc = launch(start.command, start.args, { ...env, ...extraEnv });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitFor200(`${url}/readyz`, proc, 50, readyTimeoutMs);
      const readyS = (performance.now() - t0) / 1000;
      return { ...proc, url, serverPid: serverPidOf(proc.pid), readyS };
    } catch (e) {
      await proc.stop();
      if (attempt < 3 && /EADDRINUSE/.test(String(e))) continue;
      throw e;
    }
  }
}

/** The process that serves: `pid` itself, or under tsx (`tsx src/cli.ts …`) the child running src/cli.ts. */
export function serverPidOf(pid: number): number {
  if (!cmdline(pid).includes('tsx')) return pid;
  const server = descendants(pid).find((child) => cmdline(child).includes('src/cli.ts'));
  if (server === undefined) throw new Error(`no child of ${pid} runs src/cli.ts`);
  return server;
}

/** Signs in as a demo account and creates an API token for it (the demo password is `mueang-demo`). */
export async function demoToken(url: string, email: string): Promise<string> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'mueang-demo' }),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const created = await fetch(`${url}/api/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ name: 'bench' }),
  });
  if (created.status !== 201) throw new Error(`create token: ${created.status} ${await created.text()}`);
  return ((await created.json()) as { token: string }).token;
}
