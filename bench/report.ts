// Small reporting helpers shared by the benchmarks.
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export function machine(): string {
  const cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '?';
  const memKb = Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
  const ram = `${(memKb / 1024 ** 2).toFixed(1)} GB RAM`;
  return `node ${process.version}, ${availableParallelism()} CPUs (${cpu}), ${ram}, ${loadAverage()}`;
}

/** The 1-minute load average: other work on a 2-core machine skews every figure here. */
export const loadAverage = (): string => `load average ${loadavg()[0].toFixed(2)}`;

/** Prints rows as an aligned text table: first column left-aligned, the others right-aligned. */
export function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const r of rows)
    console.log(r.map((cell, c) => (c ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  '));
}

export const verdict = (ok: boolean, yes = 'PASS', no = 'FAIL'): string => (ok ? yes : no);

/**
 * CPU seconds used so far by the whole machine and by `pids` (from /proc, USER_HZ = 100): the difference
 * over a measurement is what other processes took from this 2-core machine meanwhile.
 */
export function cpuSeconds(pids: number[]): { machine: number; ours: number } {
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return '';
    }
  };
  const [user, nice, system, , , irq, softirq, steal] = read('/proc/stat')
    .split('\n')[0]
    .split(/\s+/)
    .slice(1)
    .map(Number);
  // Deduplicated: without tsx the platform's launched process is its server process.
  let ours = 0;
  for (const seconds of processCpu(new Set(pids)).values()) ours += seconds;
  return { machine: (user + nice + system + irq + softirq + steal) / 100, ours };
}

/** CPU seconds so far of each process (utime + stime from /proc/<pid>/stat; 0 when it is gone). */
export function processCpu(pids: Iterable<number>): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[11], [12]: utime, stime
      out.set(pid, (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100);
    } catch {
      out.set(pid, 0);
    }
  }
  return out;
}

/**
 * The PostgreSQL backends serving database `name` (their command line is `postgres: [cluster: ]user name host …`),
 * so a bench can count its own database's CPU on a server other work shares.
 */
export function backendsOf(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (/^postgres: (?:\S+: )?\S+ (\S+) /.exec(cmd)?.[1] === name) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}
