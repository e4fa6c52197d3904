/** Who may call the tax routes: the finance office keeps the register; executives also read. */
export const tags = ['tax'];
export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type StaffRole = 'admin' | 'executive' | 'office_manager' | 'officer';

export const revenue = {
  access: ['admin', 'office_manager', 'officer'] as StaffRole[],
  offices: ['finance'],
};
export const readers = {
  access: ['admin', 'executive', 'office_manager', 'officer'] as StaffRole[],
  offices: ['finance'],
};
