import { AppError } from '../errors.ts';
import { msg } from '../i18n.ts';
import { officeBoundRoles, type Principal } from './roles.ts';

/**
 * The owner office a staff write may set: office-bound staff (managers, officers) only their own
 * (another → 403 with `forbiddenCode`); others name one, or have one.
 */
export function ownerOffice(
  principal: Principal,
  requested: string | undefined,
  forbiddenCode: string,
): string {
  if (officeBoundRoles.includes(principal.role)) {
    if (requested && requested !== principal.officeId) throw AppError.forbidden(forbiddenCode);
    return principal.officeId!;
  }
  const office = requested ?? principal.officeId;
  if (!office)
    throw AppError.badRequest('request.invalid', msg('request.owner_office_required'), [
      { path: '/officeId', message: msg('field.required') },
    ]);
  return office;
}

/** Office-bound staff may change only what their own office keeps (else 403 with `forbiddenCode`). */
export function mustKeep(principal: Principal, officeId: string, forbiddenCode: string): void {
  if (officeBoundRoles.includes(principal.role) && officeId !== principal.officeId)
    throw AppError.forbidden(forbiddenCode);
}
