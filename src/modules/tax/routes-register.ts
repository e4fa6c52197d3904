import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { audit } from '../../core/audit/audit.ts';
import { AppError } from '../../core/errors.ts';
import { maxPhotos, photosBodyLimit } from '../../core/media/schema.ts';
import { storedName } from '../../core/media/store.ts';
import { readers, revenue, tags } from './access.ts';
import { registerOwners } from './owner-list.ts';
import { mergeOwners, OwnerMergeBody, type OwnerMergeInput } from './owner-merge.ts';
import {
  BuildingPatch,
  type BuildingPatchInput,
  IdParam,
  OwnerPatch,
  type OwnerPatchInput,
  ParcelPatch,
  type ParcelPatchInput,
  SignPatch,
  type SignPatchInput,
  SignPhotosBody,
  type SignPhotosInput,
} from './schemas.ts';
import type { TaxService } from './service.ts';
import { removeSignPhoto } from './sign-photo-removal.ts';

const RegisterQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description:
          'part of a deed number, owner name, sign text or building number; or an exact tax ID (owners: part of a name or a whole ID)',
      }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  },
  { additionalProperties: false },
);
type RegisterQueryInput = { q?: string; limit: number; offset: number };

/**
 * The register as finance staff browse it: parcels, buildings and signs, searched and paged, and one
 * parcel, building, sign or owner with its owner, buildings and bills. Every read of owners' records is
 * audited, and so is every correction.
 */
export async function registerRoutes(app: FastifyInstance, service: TaxService) {
  const lists = {
    parcels: (q: RegisterQueryInput) => service.register.registerParcels(q.q, q.limit, q.offset),
    buildings: (q: RegisterQueryInput) => service.register.registerBuildings(q.q, q.limit, q.offset),
    signs: (q: RegisterQueryInput) => service.register.registerSigns(q.q, q.limit, q.offset),
    appraisals: (q: RegisterQueryInput) => service.register.appraisalRows(q.q, q.limit, q.offset),
    depreciation: (q: RegisterQueryInput) => service.register.depreciationRows(q.q, q.limit, q.offset),
    'building-costs': (q: RegisterQueryInput) => service.register.buildingCostRows(q.q, q.limit, q.offset),
    owners: (q: RegisterQueryInput) => registerOwners(app.db, q.q, q.limit, q.offset),
  };
  for (const [kind, list] of Object.entries(lists)) {
    app.get(
      `/register/${kind}`,
      {
        config: readers,
        schema: { tags, summary: `The register's ${kind}, searched and paged`, querystring: RegisterQuery },
      },
      async (request) => {
        const query = request.query as RegisterQueryInput;
        const page = await list(query);
        await audit(app.db.orm, request.actor(), {
          action: 'tax.register.list',
          resourceType: `tax.${kind}`,
          detail: { q: query.q ?? null, offset: query.offset, count: page.items.length },
        });
        return { ...page, limit: query.limit, offset: query.offset };
      },
    );
  }

  const one = {
    parcels: { read: (id: string) => service.register.registerParcel(id), type: 'tax.parcel' },
    buildings: { read: (id: string) => service.register.registerBuilding(id), type: 'tax.building' },
    signs: { read: (id: string) => service.register.registerSign(id), type: 'tax.sign' },
    owners: { read: (id: string) => service.register.registerOwner(id), type: 'tax.owner' },
  };
  for (const [kind, { read, type }] of Object.entries(one)) {
    app.get(
      `/register/${kind}/:id`,
      {
        config: readers,
        schema: {
          tags,
          summary:
            kind === 'owners'
              ? 'One owner with their address and how many parcels and signs they hold'
              : `One of the register's ${kind}, with its owner and bills (a building's are its parcel's)`,
          params: IdParam,
        },
      },
      async (request) => {
        const id = (request.params as { id: string }).id;
        const row = await read(id);
        if (!row) throw AppError.notFound();
        await audit(app.db.orm, request.actor(), {
          action: `${type}.read`,
          resourceType: type,
          resourceId: id,
        });
        return row;
      },
    );
  }

  // Corrections by finance staff (not executives): the body names the version that was read.
  const Edited = Type.Object({ id: Type.String(), version: Type.Integer() });
  const edits: {
    kind: string;
    body: unknown;
    what: string;
    bodyLimit?: number;
    edit: (id: string, b: unknown, actor: Parameters<TaxService['editParcel']>[2]) => Promise<unknown>;
  }[] = [
    {
      kind: 'parcels',
      body: ParcelPatch,
      what: "a parcel's owner, area, value, appraisal zone, uses (with a main home's status and vacant land's years) and outline",
      // An outline may have up to 2,000 vertices.
      bodyLimit: 256 * 1024,
      edit: (id: string, b: unknown, actor: Parameters<TaxService['editParcel']>[2]) =>
        service.editParcel(id, b as ParcelPatchInput, actor),
    },
    {
      kind: 'buildings',
      body: BuildingPatch,
      what: "a building's number, type, floor area, cost, age and depreciation",
      edit: (id: string, b: unknown, actor: Parameters<TaxService['editParcel']>[2]) =>
        service.editBuilding(id, b as BuildingPatchInput, actor),
    },
    {
      kind: 'signs',
      body: SignPatch,
      what: "a sign's owner, size, text language (which gives the type), type, moving and text",
      edit: (id: string, b: unknown, actor: Parameters<TaxService['editParcel']>[2]) =>
        service.editSign(id, b as SignPatchInput, actor),
    },
    {
      kind: 'owners',
      body: OwnerPatch,
      what: "an owner's name, address, kind or mistyped tax ID (another owner's ID answers 409)",
      edit: (id: string, b: unknown, actor: Parameters<TaxService['editParcel']>[2]) =>
        service.editOwner(id, b as OwnerPatchInput, actor),
    },
  ];
  for (const { kind, body, what, edit, bodyLimit } of edits) {
    app.patch(
      `/register/${kind}/:id`,
      {
        config: revenue,
        bodyLimit: bodyLimit ?? 16_384,
        schema: {
          tags,
          summary: `Correct ${what}; a stale version answers 409`,
          params: IdParam,
          body,
          response: { 200: Edited },
        },
      },
      async (request) => edit((request.params as { id: string }).id, request.body, request.actor()),
    );
  }

  // Photos of registered and imported signs, stored and checked like a ภ.ป.1's (core/media).
  const uploads = join(app.config.DATA_DIR, 'uploads', 'tax');
  app.post(
    '/register/signs/:id/photos',
    {
      config: revenue,
      bodyLimit: photosBodyLimit,
      schema: {
        tags,
        summary: `Add photos to a sign (JPEG, PNG, WebP or HEIC, at most ${maxPhotos} in all); a stale version answers 409`,
        params: IdParam,
        body: SignPhotosBody,
        response: {
          200: Type.Object({ id: Type.String(), version: Type.Integer(), photos: Type.Integer() }),
        },
      },
    },
    async (request) =>
      service.addSignPhotos(
        (request.params as { id: string }).id,
        request.body as SignPhotosInput,
        uploads,
        request.actor(),
      ),
  );

  const PhotoParams = Type.Object(
    { id: Type.String({ format: 'uuid' }), n: Type.Integer({ minimum: 1, maximum: maxPhotos }) },
    { additionalProperties: false },
  );
  app.delete(
    '/register/signs/:id/photos/:n',
    {
      config: revenue,
      schema: {
        tags,
        summary:
          'Remove the n-th photo of a sign (as last read), naming the version read (?version=); a stale version answers 409; audited',
        params: PhotoParams,
        querystring: Type.Object(
          { version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ id: Type.String(), version: Type.Integer(), photos: Type.Integer() }),
        },
      },
    },
    async (request) => {
      const { id, n } = request.params as { id: string; n: number };
      const { version } = request.query as { version: number };
      return removeSignPhoto(app.db, uploads, id, n, version, request.actor());
    },
  );

  app.post(
    '/register/owners/:id/merge',
    {
      config: revenue,
      schema: {
        tags,
        summary:
          'Merge another record of the same person into this owner: its parcels, signs and bills move here and it is removed (two valid IDs, a person with a juristic person or two main homes: 409; a stale version of either: 409)',
        params: IdParam,
        body: OwnerMergeBody,
        response: {
          200: Type.Object({
            id: Type.String(),
            version: Type.Integer(),
            moved: Type.Object({ parcels: Type.Integer(), signs: Type.Integer(), bills: Type.Integer() }),
          }),
        },
      },
    },
    async (request) =>
      mergeOwners(
        app.db,
        (request.params as { id: string }).id,
        request.body as OwnerMergeInput,
        request.actor(),
      ),
  );

  const photoTypes: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };
  app.get(
    '/register/signs/:id/photos/:n',
    {
      config: readers,
      schema: {
        tags,
        summary: "A photo of a sign in the register (a citizen's ภ.ป.1 photos first); the read is audited",
        params: PhotoParams,
      },
    },
    async (request, reply) => {
      const { id, n } = request.params as { id: string; n: number };
      const name = (await service.register.signPhotos(id))?.[n - 1];
      // Stored names are random UUIDs made by storeImages; anything else is not served.
      const match = name ? storedName.exec(name) : null;
      if (!name || !match) throw AppError.notFound();
      await audit(app.db.orm, request.actor(), {
        action: 'tax.sign.photo.read',
        resourceType: 'tax.sign',
        resourceId: id,
        detail: { n },
      });
      return reply
        .type(photoTypes[match[1]])
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', 'inline')
        .send(await readFile(join(uploads, name)));
    },
  );
}
