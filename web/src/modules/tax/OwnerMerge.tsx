import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { Button } from '../../ui/Button.tsx';
import { ErrorState, Spinner } from '../../ui/States.tsx';
import { TextField } from '../../ui/TextField.tsx';
import type { OwnerDetail, OwnerRow } from './register-types.ts';

/**
 * Merge another record of the same person into the opened owner: find it by name or whole ID, open it
 * (the whole ID is shown, so the read is audited), then confirm. The server moves its parcels, signs
 * and bills and removes it, or says why not (two valid IDs, a person with a company, two main homes).
 */
export function OwnerMerge({
  kept,
  onDone,
}: {
  kept: OwnerDetail;
  onDone: (message: string | null) => void;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const id = useId();
  const [q, setQ] = useState('');
  const [searched, setSearched] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  const found = useQuery({
    queryKey: ['tax', 'register', 'owners', 'merge-search', searched],
    queryFn: () =>
      api<{ items: OwnerRow[] }>(
        'GET',
        `/api/tax/register/owners?${new URLSearchParams({ q: searched, limit: '10', offset: '0' })}`,
      ),
    enabled: searched.length > 0,
  });
  const other = useQuery({
    queryKey: ['tax', 'register', 'owners', 'card', chosen],
    queryFn: () => api<OwnerDetail>('GET', `/api/tax/register/owners/${chosen}`),
    enabled: chosen !== null,
  });
  const merge = useMutation({
    mutationFn: (o: OwnerDetail) =>
      api<{ moved: { parcels: number; signs: number; bills: number } }>(
        'POST',
        `/api/tax/register/owners/${kept.id}/merge`,
        { from: o.id, version: kept.version, fromVersion: o.version },
      ),
    onSuccess: (res) => {
      void client.invalidateQueries({ queryKey: ['tax', 'register'] });
      onDone(t('tax.merge.done', { ...res.moved }));
    },
  });
  const candidates = (found.data?.items ?? []).filter((o) => o.id !== kept.id);
  return (
    <section aria-labelledby={`${id}-h`} data-testid="owner-merge">
      <h3 id={`${id}-h`}>{t('tax.merge.title', { name: kept.name })}</h3>
      <p>{t('tax.merge.lead')}</p>
      <form
        aria-label={t('tax.merge.searchForm')}
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setChosen(null);
          merge.reset();
          setSearched(q.trim());
        }}
      >
        <TextField
          label={t('tax.merge.search')}
          hint={t('tax.merge.searchHint')}
          value={q}
          maxLength={100}
          onChange={(e) => setQ(e.target.value)}
        />
        <Button type="submit" variant="secondary" disabled={!q.trim()}>
          {t('tax.merge.find')}
        </Button>
      </form>
      {found.isFetching && <Spinner />}
      {found.isError && <ErrorState error={found.error} />}
      {found.data && (
        <>
          <p role="status">{t('tax.merge.found', { count: candidates.length })}</p>
          {candidates.length > 0 && (
            <ul>
              {candidates.map((o) => (
                <li key={o.id}>
                  {o.name} <code>{o.taxIdMasked}</code>{' '}
                  <Button
                    variant="link"
                    aria-label={t('tax.merge.chooseNamed', { name: o.name, id: o.taxIdMasked })}
                    onClick={() => {
                      merge.reset();
                      setChosen(o.id);
                    }}
                  >
                    {t('tax.merge.choose')}
                  </Button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {other.isError && <ErrorState error={other.error} />}
      {other.data && chosen && (
        <div data-testid="merge-confirm">
          <p>
            {t('tax.merge.confirmText', {
              other: other.data.name,
              otherId: other.data.taxId,
              parcels: other.data.parcels,
              signs: other.data.signs,
              kept: kept.name,
            })}
          </p>
          {merge.isError && <ErrorState error={merge.error} />}
          <Button
            variant="danger"
            disabled={merge.isPending}
            onClick={() => other.data && merge.mutate(other.data)}
          >
            {merge.isPending ? t('tax.edit.saving') : t('tax.merge.confirm')}
          </Button>
        </div>
      )}{' '}
      <Button variant="secondary" onClick={() => onDone(null)}>
        {t('tax.merge.cancel')}
      </Button>
    </section>
  );
}
