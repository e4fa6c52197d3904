import { type SQL, sql } from 'drizzle-orm';

export interface DeadLetterSelection {
  reason?: string;
  devEui?: string;
  /** true: only replayed ones; false: only those still open; absent: both. */
  replayed?: boolean;
}

/** The filter shared by the dead-letter list and the bulk replay. */
export function deadLetterWhere(f: DeadLetterSelection): SQL {
  const where: SQL[] = [sql`true`];
  if (f.reason) where.push(sql`reason = ${f.reason}`);
  if (f.devEui) where.push(sql`dev_eui = ${f.devEui.toLowerCase()}`);
  if (f.replayed === true) where.push(sql`replayed_at IS NOT NULL`);
  if (f.replayed === false) where.push(sql`replayed_at IS NULL`);
  return sql.join(where, sql` AND `);
}
