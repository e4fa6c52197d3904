import { describe, expect, it } from 'vitest';
import { allows, type Principal } from './roles.ts';

const staff = (role: Principal['role'], officeCode: string | null): Principal => ({
  userId: 'u',
  kind: role === 'citizen' ? 'citizen' : 'staff',
  role,
  officeId: null,
  officeCode,
  displayName: role,
  email: null,
  phone: null,
  nationalId: null,
  locale: 'th',
  via: 'token',
  csrfToken: null,
  tokenId: null,
});

describe('route access', () => {
  it('answers by declared access', () => {
    expect(allows('public', null)).toBe('ok');
    // A route with its own check (a signature, an API key) lets the call through to that check.
    expect(allows('signature', null)).toBe('ok');
    expect(allows('api-key', null)).toBe('ok');
    expect(allows('user', null)).toBe('unauthenticated');
    expect(allows('citizen', staff('officer', 'clerk'))).toBe('forbidden');
    expect(allows('staff', staff('citizen', null))).toBe('forbidden');
    expect(allows(['admin'], staff('executive', null))).toBe('forbidden');
  });

  it('narrows office-bound staff to the offices a route names, not admins or executives', () => {
    const roles: Principal['role'][] = ['admin', 'executive', 'office_manager', 'officer'];
    expect(allows(roles, staff('officer', 'finance'), ['finance'])).toBe('ok');
    expect(allows(roles, staff('officer', 'clerk'), ['finance'])).toBe('forbidden');
    expect(allows(roles, staff('office_manager', null), ['finance'])).toBe('forbidden');
    expect(allows(roles, staff('admin', null), ['finance'])).toBe('ok');
    expect(allows(roles, staff('executive', null), ['finance'])).toBe('ok');
  });
});
