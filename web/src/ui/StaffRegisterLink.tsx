import { Link } from '@tanstack/react-router';
import { useMe } from '../session.ts';

/** The roles that keep the city's registers (office staff and administrators). */
const keepers = ['admin', 'office_manager', 'officer'];

/** A link from a public page to its staff register, shown only to those who may change it. */
export function StaffRegisterLink({
  to,
  label,
}: {
  to: '/energy/register' | '/flood/register';
  label: string;
}) {
  const me = useMe().data;
  if (!me || !keepers.includes(me.role)) return null;
  return (
    <p>
      <Link to={to}>{label}</Link>
    </p>
  );
}
