import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { Me } from '../api.ts';
import { useMe } from '../session.ts';
import { Spinner } from './States.tsx';

/**
 * Renders its children for the roles given; others see `refusal` (and a sign-in link when signed
 * out). The API checks the same roles: this only spares people a form they could not send.
 */
export function RoleGate({
  roles,
  refusal,
  children,
}: {
  roles: Me['role'][];
  refusal: string;
  children: (me: Me) => React.ReactNode;
}) {
  const { t } = useTranslation();
  const me = useMe();
  if (me.isPending) return <Spinner />;
  if (me.data && roles.includes(me.data.role)) return <>{children(me.data)}</>;
  return (
    <div className="error-state" role="alert">
      <p className="error-title">{refusal}</p>
      {!me.data && <Link to="/signin">{t('nav.signin')}</Link>}
    </div>
  );
}
