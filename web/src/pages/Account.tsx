import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { formatDate } from '../dates.ts';
import { useMe, useSetMe } from '../session.ts';
import { Button } from '../ui/Button.tsx';
import { Card, ErrorState, Spinner } from '../ui/States.tsx';
import { Table } from '../ui/Table.tsx';
import { TextField } from '../ui/TextField.tsx';
import { useToast } from '../ui/Toast.tsx';

interface Token {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export function AccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  const setMe = useSetMe();
  const navigate = useNavigate();
  if (me.isPending) return <Spinner />;
  if (me.isError) return <ErrorState error={me.error} />;
  if (!me.data) {
    return (
      <section className="narrow">
        <h1>{t('account.title')}</h1>
        <Link to="/signin">{t('nav.signin')}</Link>
      </section>
    );
  }
  const signOut = async () => {
    await api('POST', '/api/auth/logout');
    setMe(null);
    await navigate({ to: '/' });
  };
  return (
    <section>
      <h1>{t('account.title')}</h1>
      <Card>
        <p className="account-name" data-testid="account-name">
          {me.data.displayName}
        </p>
        <p>
          {t('account.role')}: {t(`roles.${me.data.role}`)}
        </p>
        <p>{me.data.email ?? me.data.phone}</p>
        <Button variant="secondary" onClick={signOut}>
          {t('account.signout')}
        </Button>
      </Card>
      <Tokens />
    </section>
  );
}

function Tokens() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const toast = useToast();
  const [fresh, setFresh] = useState<string | null>(null);
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => api<Token[]>('GET', '/api/tokens') });
  const create = useMutation({
    mutationFn: (name: string) => api<{ id: string; token: string }>('POST', '/api/tokens', { name }),
    onSuccess: (created) => {
      setFresh(created.token);
      client.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api('DELETE', `/api/tokens/${id}`),
    onSuccess: () => {
      toast(t('account.revoked'));
      client.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  return (
    <Card>
      <h2>{t('account.tokens')}</h2>
      <p className="hint">{t('account.tokensHint')}</p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const name = String(new FormData(e.currentTarget).get('name') ?? '').trim();
          if (name) create.mutate(name);
        }}
      >
        <TextField label={t('account.tokenName')} name="name" maxLength={100} required />
        <Button type="submit" disabled={create.isPending}>
          {t('account.create')}
        </Button>
      </form>
      {create.isError && <ErrorState error={create.error} />}
      {fresh && (
        <div className="new-token" role="status">
          <p>{t('account.newToken')}</p>
          <code>{fresh}</code>{' '}
          <Button
            variant="secondary"
            onClick={() => navigator.clipboard?.writeText(fresh).then(() => toast(t('account.copied')))}
          >
            {t('account.copy')}
          </Button>
        </div>
      )}
      {tokens.isError && <ErrorState error={tokens.error} />}
      {tokens.data && (
        <Table
          caption={t('account.tokens')}
          rows={tokens.data}
          rowKey={(r) => r.id}
          columns={[
            { key: 'name', header: t('account.tokenName'), cell: (r) => r.name, sortValue: (r) => r.name },
            {
              key: 'created',
              header: t('account.created'),
              cell: (r) => formatDate(r.createdAt, i18n.language),
              sortValue: (r) => r.createdAt,
            },
            {
              key: 'used',
              header: t('account.lastUsed'),
              cell: (r) => (r.lastUsedAt ? formatDate(r.lastUsedAt, i18n.language) : '—'),
            },
            {
              key: 'revoke',
              header: t('account.revoke'),
              cell: (r) => (
                <Button
                  variant="danger"
                  onClick={() => revoke.mutate(r.id)}
                  aria-label={`${t('account.revoke')} ${r.name}`}
                >
                  {t('account.revoke')}
                </Button>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
