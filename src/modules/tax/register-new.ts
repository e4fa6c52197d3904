import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import { isValidThaiNationalId } from '../../core/auth/thai-id.ts';
import { AppError } from '../../core/errors.ts';
import { msg, registerMessages } from '../../core/i18n.ts';
import { revenue, tags } from './access.ts';
import { TaxRepository } from './repository.ts';
import { ParcelBody, SignBody } from './schemas.ts';
import type { TaxService } from './service.ts';

registerMessages({
  'tax.deed_taken': {
    th: 'โฉนดหรือเอกสารสิทธิ์เลขนี้มีในทะเบียนแล้ว',
    en: 'a parcel with this deed is already in the register',
  },
});

const TaxId = Type.String({
  pattern: '^[0-9]{13}$',
  description: "the owner's 13-digit tax ID, in the register",
});
const { ownerId: _p, ...parcelFields } = ParcelBody.properties;
const { ownerId: _s, ...signFields } = SignBody.properties;

/** `POST /api/tax/parcels` with the owner named by tax ID, as staff know them from the deed. */
export const NewParcelBody = Type.Object(
  { ownerTaxId: TaxId, ...parcelFields },
  { additionalProperties: false },
);
export const NewSignBody = Type.Object({ ownerTaxId: TaxId, ...signFields }, { additionalProperties: false });
type NewParcel = Static<typeof NewParcelBody>;
type NewSign = Static<typeof NewSignBody>;

/**
 * The register screen's forms register a parcel or a sign naming the owner by tax ID; each refusal
 * names its field (an unknown owner beside `/ownerTaxId`, a deed already registered beside `/deedNo`),
 * and the rest is `POST /api/tax/parcels` and `/signs` (same checks, same audit).
 */
export async function registerNewRoutes(app: FastifyInstance, service: TaxService) {
  const repo = new TaxRepository(app.db);
  const ownerOf = async (taxId: string) => {
    const id = isValidThaiNationalId(taxId) ? await repo.ownerIdByTaxId(taxId) : undefined;
    if (!id)
      throw AppError.badRequest(
        isValidThaiNationalId(taxId) ? 'tax.owner_unknown' : 'tax.tax_id_invalid',
        undefined,
        [
          {
            path: '/ownerTaxId',
            message: msg(isValidThaiNationalId(taxId) ? 'tax.not_in_register' : 'field.check_digit'),
          },
        ],
      );
    return id;
  };
  const Created = Type.Object({ id: Type.String() });

  app.post(
    '/register/parcels',
    {
      config: revenue,
      bodyLimit: 256 * 1024,
      schema: {
        tags,
        summary: "Register a parcel, its owner named by tax ID (the register screen's form)",
        body: NewParcelBody,
        response: { 201: Created },
      },
    },
    async (request, reply) => {
      const { ownerTaxId, ...parcel } = request.body as NewParcel;
      const ownerId = await ownerOf(ownerTaxId);
      if (await repo.parcelIdByDeed(parcel.deedKind, parcel.deedNo.trim()))
        throw new AppError(409, 'resource.conflict', msg('tax.deed_taken'), [
          { path: '/deedNo', message: msg('tax.deed_taken') },
        ]);
      const created = await service.createParcel(
        { ...parcel, deedNo: parcel.deedNo.trim(), ownerId },
        request.actor(),
      );
      return reply.code(201).send({ id: created.id });
    },
  );

  app.post(
    '/register/signs',
    {
      config: revenue,
      schema: {
        tags,
        summary: "Register a signboard, its owner named by tax ID (the register screen's form)",
        body: NewSignBody,
        response: { 201: Created },
      },
    },
    async (request, reply) => {
      const { ownerTaxId, ...sign } = request.body as NewSign;
      const ownerId = await ownerOf(ownerTaxId);
      return reply.code(201).send(await service.createSign({ ...sign, ownerId }, request.actor()));
    },
  );
}
