import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { formatDate } from '../dates.ts';
import { Button } from '../ui/Button.tsx';
import { Card, ErrorState, Spinner } from '../ui/States.tsx';
import { Table } from '../ui/Table.tsx';
import { Select, TextField } from '../ui/TextField.tsx';
import { useToast } from '../ui/Toast.tsx';

interface Token {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

const lifetimes = ['30', '90', '365', 'never'] as const;
const day = 86_400_000;

/** The person's personal API tokens: list, create (shown once), revoke. */
export function Tokens() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const toast = useToast();
  const [fresh, setFresh] = useState<{ name: string; token: string } | null>(null);
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => api<Token[]>('GET', '/api/tokens') });
  const create = useMutation({
    mutationFn: (body: { name: string; expiresAt?: string }) =>
      api<{ id: string; token: string }>('POST', '/api/tokens', body),
    onSuccess: (created, body) => {
      setFresh({ name: body.name, token: created.token });
      client.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api('DELETE', `/api/tokens/${encodeURIComponent(id)}`),
    onSuccess: () => {
      toast(t('account.revoked'));
      client.invalidateQueries({ queryKey: ['tokens'] });
    },
    onError: (e) => toast(e.message, 'error'),
  });
  const copy = () =>
    fresh &&
    navigator.clipboard
      ?.writeText(fresh.token)
      .then(() => toast(t('account.copied')))
      .catch(() => toast(t('account.copyFailed'), 'error'));
  const date = (value: string | null) => (value ? formatDate(value, i18n.language) : '—');

  return (
    <Card>
      <h2>{t('account.tokens')}</h2>
      <p className="hint">{t('account.tokensHint')}</p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const name = String(form.get('name') ?? '').trim();
          const lifetime = String(form.get('lifetime'));
          if (!name) return;
          const days = Number(lifetime);
          create.mutate({
            name,
            ...(lifetime !== 'never' ? { expiresAt: new Date(Date.now() + days * day).toISOString() } : {}),
          });
          e.currentTarget.reset();
        }}
      >
        <TextField label={t('account.tokenName')} name="name" maxLength={100} required />
        <Select
          label={t('account.lifetime')}
          name="lifetime"
          defaultValue="90"
          options={lifetimes.map((l) => ({ value: l, label: t(`account.lifetimes.${l}`) }))}
        />
        <Button type="submit" disabled={create.isPending}>
          {t('account.create')}
        </Button>
      </form>
      {create.isError && <ErrorState error={create.error} />}
      {fresh && (
        <div className="new-token" role="status">
          <p>
            <strong>{t('account.newToken', { name: fresh.name })}</strong>
          </p>
          <p>{t('account.newTokenWarning')}</p>
          <p>
            <code data-testid="new-token">{fresh.token}</code>
          </p>
          <div className="actions">
            <Button onClick={copy}>{t('account.copy')}</Button>
            <Button variant="secondary" onClick={() => setFresh(null)}>
              {t('account.tokenSaved')}
            </Button>
          </div>
        </div>
      )}
      {tokens.isPending && <Spinner />}
      {tokens.isError && <ErrorState error={tokens.error} onRetry={() => tokens.refetch()} />}
      {tokens.data && (
        <Table
          caption={t('account.tokens')}
          rows={tokens.data}
          rowKey={(r) => r.id}
          empty={t('account.noTokens')}
          columns={[
            { key: 'name', header: t('account.tokenName'), cell: (r) => r.name, sortValue: (r) => r.name },
            {
              key: 'created',
              header: t('account.created'),
              cell: (r) => date(r.createdAt),
              sortValue: (r) => r.createdAt,
            },
            { key: 'used', header: t('account.lastUsed'), cell: (r) => date(r.lastUsedAt) },
            {
              key: 'expires',
              header: t('account.expires'),
              cell: (r) => (r.expiresAt ? date(r.expiresAt) : t('account.lifetimes.never')),
            },
            {
              key: 'revoke',
              header: t('account.actions'),
              cell: (r) => (
                <Button
                  variant="danger"
                  disabled={revoke.isPending}
                  onClick={() =>
                    window.confirm(t('account.revokeConfirm', { name: r.name })) && revoke.mutate(r.id)
                  }
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
