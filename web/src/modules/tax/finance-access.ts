import type { Me } from '../../api.ts';

/**
 * What the API lets this person do with the finance office's tax screens (access.ts on the server):
 * `reads` the queue, arrears and reports (admins, executives, the finance office); `keeps` the
 * register and resolves payments (the same, without executives). The server checks again.
 */
export function financeAccess(me: Me | null | undefined) {
  const reads =
    me?.kind === 'staff' &&
    (me.role === 'admin' ||
      me.role === 'executive' ||
      ((me.role === 'officer' || me.role === 'office_manager') && me.officeCode === 'finance'));
  return { reads, keeps: reads && me?.role !== 'executive' };
}

/** Satang as baht in the screen's language, with two decimals. */
export const baht = (satang: number, lang: string) =>
  (satang / 100).toLocaleString(lang === 'th' ? 'th-TH' : 'en-GB', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
