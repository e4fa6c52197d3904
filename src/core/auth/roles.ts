export const staffRoles = ['admin', 'executive', 'office_manager', 'officer'] as const;
export type StaffRole = (typeof staffRoles)[number];
export type Role = StaffRole | 'citizen';
export const allRoles: Role[] = [...staffRoles, 'citizen'];

/**
 * Who may call a route: anyone, a machine proving itself by a request signature the route checks
 * (e.g. a bank's webhook), an integrator presenting an API key the route checks and refuses with 403
 * (e.g. Open311's `api_key`), any signed-in person, citizens only, any staff member, or the roles
 * listed. Every route declares one (checked when routes are registered).
 */
/** `device-token`: a non-LoRa device's own token (X-Device-Token), checked by the route. */
export type Access =
  | 'public'
  | 'signature'
  | 'api-key'
  | 'device-token'
  | 'user'
  | 'citizen'
  | 'staff'
  | Role[];

export interface Principal {
  userId: string;
  kind: 'staff' | 'citizen';
  role: Role;
  officeId: string | null;
  /** The code of the office (e.g. `finance`) for staff who work in one. */
  officeCode: string | null;
  displayName: string;
  email: string | null;
  phone: string | null;
  /** Lets a citizen's own records in other registers (e.g. taxes) be matched to them. */
  nationalId: string | null;
  locale: 'th' | 'en';
  via: 'session' | 'token';
  csrfToken: string | null;
  tokenId: string | null;
}

/** Roles whose reach is their own office; admins and executives see across offices. */
export const officeBoundRoles: Role[] = ['office_manager', 'officer'];

/**
 * The verdict for a caller. `offices`, when a route gives it, narrows office-bound staff to the
 * offices named (e.g. only the finance office's officers keep the tax register).
 */
export function allows(
  access: Access,
  principal: Principal | null,
  offices?: string[],
): 'ok' | 'unauthenticated' | 'forbidden' {
  if (access === 'public' || access === 'signature' || access === 'api-key' || access === 'device-token')
    return 'ok';
  if (!principal) return 'unauthenticated';
  let ok: boolean;
  if (access === 'user') ok = true;
  else if (access === 'citizen') ok = principal.kind === 'citizen';
  else if (access === 'staff') ok = principal.kind === 'staff';
  else ok = access.includes(principal.role);
  if (ok && offices && officeBoundRoles.includes(principal.role))
    ok = offices.includes(principal.officeCode ?? '');
  return ok ? 'ok' : 'forbidden';
}
