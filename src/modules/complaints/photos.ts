import { join } from 'node:path';
import { type SQL, sql } from 'drizzle-orm';
import { Type } from 'typebox';
import type { Db, Executor } from '../../core/db/index.ts';
import { decodePhotos } from '../../core/media/schema.ts';
import { removeImages, type StoredImage, storeImages } from '../../core/media/store.ts';

export const photosDir = (dataDir: string) => join(dataDir, 'uploads', 'complaints');

export const PhotoRefSchema = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('report'), Type.Literal('after')]),
  width: Type.Integer(),
  height: Type.Integer(),
  at: Type.String(),
});
export interface PhotoRef {
  id: string;
  kind: 'report' | 'after';
  width: number;
  height: number;
  at: string;
}

const iso = (column: SQL) => sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const columns = sql`id, request_id AS "requestId", kind, width, height, ${iso(sql`created_at`)} AS at`;

/** The photos of complaints: files under one folder, one row each. */
export class ComplaintPhotos {
  constructor(
    private readonly db: Db,
    readonly dir: string | undefined,
  ) {}

  /**
   * Re-encodes and writes the photos, then runs `fn` (the transaction that names them); if `fn`
   * fails the files go again, so no row names a missing file and no file is left unnamed.
   */
  async withStored<T>(
    photos: { data: string }[] | undefined,
    fn: (stored: StoredImage[]) => Promise<T>,
  ): Promise<T> {
    if (!photos?.length) return fn([]);
    const dir = this.dir;
    if (!dir) throw new Error('complaints photos need a folder');
    const stored = await storeImages(dir, decodePhotos(photos));
    try {
      return await fn(stored);
    } catch (e) {
      await removeImages(
        dir,
        stored.map((s) => s.name),
      );
      throw e;
    }
  }

  async insert(
    tx: Executor,
    p: { requestId: string; eventId: string | null; kind: 'report' | 'after'; uploadedBy: string | null },
    stored: StoredImage[],
  ) {
    for (const s of stored)
      await this.db.rows(
        sql`INSERT INTO complaints_photos (request_id, event_id, kind, file, width, height, uploaded_by)
          VALUES (${p.requestId}, ${p.eventId}, ${p.kind}, ${s.name}, ${s.width}, ${s.height}, ${p.uploadedBy})`,
        tx,
      );
  }

  /** The photos of some requests, oldest first, by request id. */
  async byRequests(ids: string[]): Promise<Map<string, PhotoRef[]>> {
    const out = new Map<string, PhotoRef[]>();
    if (ids.length === 0) return out;
    const rows = await this.db.rows<PhotoRef & { requestId: string }>(
      sql`SELECT ${columns} FROM complaints_photos
        WHERE request_id IN (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )})
        ORDER BY created_at, id`,
    );
    for (const { requestId, ...ref } of rows) out.set(requestId, [...(out.get(requestId) ?? []), ref]);
    return out;
  }

  async list(requestId: string): Promise<PhotoRef[]> {
    return (await this.byRequests([requestId])).get(requestId) ?? [];
  }

  async file(requestId: string, photoId: string): Promise<string | undefined> {
    const [row] = await this.db.rows<{ file: string }>(
      sql`SELECT file FROM complaints_photos WHERE id = ${photoId} AND request_id = ${requestId}`,
    );
    return row?.file;
  }
}
