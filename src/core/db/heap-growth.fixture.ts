// Child process of heap-growth.test.ts: opens PGlite in memory (with the heap growing percent given, or
// the default), then makes garbage that outlives V8's young generation, page by page as the tax
// assessment does, over a live set, and prints the highest JS heap seen. Not a test itself.
import { openDatabase } from './index.ts';

const arg = process.argv[2];
const db = await openDatabase(arg === 'default' ? {} : { heapGrowingPercent: Number(arg) });
const live: unknown[] = [];
for (let i = 0; i < 300_000; i++) live.push({ i, s: `live ${i}`, a: [i, i] });
let page: unknown[] = [];
let highest = 0;
for (let round = 0; round < 400; round++) {
  // Each page lives while the next is made, so scavenges promote it: old-generation garbage.
  const next: unknown[] = [];
  for (let i = 0; i < 20_000; i++) next.push({ s: `page ${round} row ${i}`, o: { i } });
  page = next;
  highest = Math.max(highest, process.memoryUsage().heapUsed);
}
await db.close();
process.stdout.write(JSON.stringify({ highestMb: highest / 1048576, live: live.length, page: page.length }));
