import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../db/index.ts';

/** A new, empty database on the server at `url`, so test files never share state or leave any behind. */
export async function scratchDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `mueang_t_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ databaseUrl: url });
  await admin.orm.execute(sql.raw(`CREATE DATABASE ${name}`));
  await admin.close();
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    async drop() {
      const again = await openDatabase({ databaseUrl: url });
      await again.orm.execute(sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await again.close();
    },
  };
}
