export const staffRoles = ['admin', 'executive', 'office_manager', 'officer'] as const;
export type StaffRole = (typeof staffRoles)[number];
export type Role = StaffRole | 'citizen';
export const allRoles: Role[] = [...staffRoles, 'citizen'];

/**
 * Who may call a route: anyone, any signed-in person, citizens only, any staff member, or the roles listed.
 * Every route declares one (checked when routes are registered).
 */
export type Access = 'public' | 'user' | 'citizen' | 'staff' | Role[];

export interface Principal {
  userId: string;
  kind: 'staff' | 'citizen';
  role: Role;
  officeId: string | null;
  displayName: string;
  email: string | null;
  phone: string | null;
  locale: 'th' | 'en';
  via: 'session' | 'token';
  csrfToken: string | null;
  tokenId: string | null;
}

export function allows(access: Access, principal: Principal | null): 'ok' | 'unauthenticated' | 'forbidden' {
  if (access === 'public') return 'ok';
  if (!principal) return 'unauthenticated';
  if (access === 'user') return 'ok';
  if (access === 'citizen') return principal.kind === 'citizen' ? 'ok' : 'forbidden';
  if (access === 'staff') return principal.kind === 'staff' ? 'ok' : 'forbidden';
  return access.includes(principal.role) ? 'ok' : 'forbidden';
}
