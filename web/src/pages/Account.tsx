import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe, useSignOut } from '../session.ts';
import { Button } from '../ui/Button.tsx';
import { Badge, Card, ErrorState, Spinner } from '../ui/States.tsx';
import { Tokens } from './Tokens.tsx';

export function AccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  const signOut = useSignOut();
  const [signOutError, setSignOutError] = useState<unknown>(null);
  if (me.isPending) return <Spinner />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => me.refetch()} />;
  if (!me.data) {
    return (
      <section className="narrow">
        <h1>{t('account.title')}</h1>
        <p>{t('account.signinFirst')}</p>
        <Link to="/signin" className="btn btn-primary">
          {t('nav.signin')}
        </Link>
      </section>
    );
  }
  const { displayName, role, kind, email, phone } = me.data;
  return (
    <section>
      <h1>{t('account.title')}</h1>
      <Card>
        <h2 className="account-name" data-testid="account-name">
          {displayName}
        </h2>
        <dl className="facts">
          <dt>{t('account.role')}</dt>
          <dd>
            {t(`roles.${role}`)} {kind === 'staff' && <Badge tone="info">{t('account.kind.staff')}</Badge>}
          </dd>
          {email && (
            <>
              <dt>{t('form.emailOnly')}</dt>
              <dd>{email}</dd>
            </>
          )}
          {phone && (
            <>
              <dt>{t('form.phone')}</dt>
              <dd>{phone}</dd>
            </>
          )}
        </dl>
        {signOutError !== null && <ErrorState error={signOutError} />}
        <Button variant="secondary" onClick={() => signOut().catch(setSignOutError)}>
          {t('account.signout')}
        </Button>
      </Card>
      <Tokens />
    </section>
  );
}
