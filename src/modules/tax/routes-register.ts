import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { audit } from '../../core/audit/audit.ts';
import { AppError } from '../../core/errors.ts';
import { readers, tags } from './access.ts';
import { IdParam } from './schemas.ts';
import type { TaxService } from './service.ts';

const RegisterQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'part of a deed number, owner name, sign text or building number; or an exact tax ID',
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
 * parcel or sign with its owner, buildings and bills. Every read of owners' records is audited.
 */
export async function registerRoutes(app: FastifyInstance, service: TaxService) {
  const lists = {
    parcels: (q: RegisterQueryInput) => service.repo.registerParcels(q.q, q.limit, q.offset),
    buildings: (q: RegisterQueryInput) => service.repo.registerBuildings(q.q, q.limit, q.offset),
    signs: (q: RegisterQueryInput) => service.repo.registerSigns(q.q, q.limit, q.offset),
    appraisals: (q: RegisterQueryInput) => service.repo.appraisalRows(q.q, q.limit, q.offset),
    depreciation: (q: RegisterQueryInput) => service.repo.depreciationRows(q.q, q.limit, q.offset),
    'building-costs': (q: RegisterQueryInput) => service.repo.buildingCostRows(q.q, q.limit, q.offset),
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
    parcels: { read: (id: string) => service.repo.registerParcel(id), type: 'tax.parcel' },
    signs: { read: (id: string) => service.repo.registerSign(id), type: 'tax.sign' },
  };
  for (const [kind, { read, type }] of Object.entries(one)) {
    app.get(
      `/register/${kind}/:id`,
      {
        config: readers,
        schema: { tags, summary: `One of the register's ${kind}, with its owner and bills`, params: IdParam },
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
}
