import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { useMe } from '../../session.ts';
import { Button } from '../../ui/Button.tsx';
import { Card, ErrorState, Spinner } from '../../ui/States.tsx';
import { type Column, Table } from '../../ui/Table.tsx';
import { Select, TextField } from '../../ui/TextField.tsx';
import { useToast } from '../../ui/Toast.tsx';

interface DeadLetter {
  id: string;
  topic: string;
  reason: string;
  detail: string | null;
  devEui: string | null;
  receivedAt: string;
  replayedAt: string | null;
  replayAttempts: number;
}
interface Page {
  items: DeadLetter[];
  total: number;
  limit: number;
  offset: number;
}

const reasons = [
  'unparseable',
  'topic-mismatch',
  'unknown-device',
  'undecodable',
  'unmapped',
  'store-failed',
];
const pageSize = 50;

/** Messages the ingest worker could not store, filtered and paged; replayed after a profile is fixed. */
export function DeadLetters() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const toast = useToast();
  const queryClient = useQueryClient();
  const keeper = me?.role === 'admin' || me?.role === 'office_manager' || me?.role === 'officer';
  const [reason, setReason] = useState('');
  const [devEui, setDevEui] = useState('');
  const [offset, setOffset] = useState(0);
  const [failure, setFailure] = useState<unknown>(null);
  const euiOk = devEui === '' || /^[0-9A-Fa-f]{16}$/.test(devEui.trim());
  const query = new URLSearchParams({ limit: String(pageSize), offset: String(offset) });
  if (reason) query.set('reason', reason);
  if (devEui && euiOk) query.set('devEui', devEui.trim());
  const letters = useQuery({
    queryKey: ['device-dead-letters', reason, euiOk ? devEui : '', offset],
    queryFn: () => api<Page>('GET', `/api/device-dead-letters?${query}`),
    enabled: keeper,
  });
  if (!keeper) return null;

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['device-dead-letters'] });
  async function replay(id?: string) {
    setFailure(null);
    try {
      if (id) {
        const r = await api<{ outcome: string; reason?: string }>(
          'POST',
          `/api/device-dead-letters/${id}/replay`,
        );
        toast(
          t(`devices.dead.outcome_${r.outcome}`, { reason: r.reason ?? '' }),
          r.outcome === 'failed' ? 'error' : 'ok',
        );
      } else {
        const body = { ...(reason ? { reason } : {}), ...(devEui && euiOk ? { devEui: devEui.trim() } : {}) };
        const r = await api<{ tried: number; stored: number; failed: number }>(
          'POST',
          '/api/device-dead-letters/replay',
          body,
        );
        toast(t('devices.dead.bulkDone', r));
      }
      await refresh();
    } catch (e) {
      setFailure(e);
    }
  }

  const columns: Column<DeadLetter>[] = [
    {
      key: 'at',
      header: t('devices.receivedAt'),
      cell: (l) => formatDate(l.receivedAt, i18n.language),
      sortValue: (l) => l.receivedAt,
    },
    { key: 'reason', header: t('devices.reason'), cell: (l) => l.reason, sortValue: (l) => l.reason },
    { key: 'detail', header: t('devices.detail'), cell: (l) => l.detail ?? '—' },
    { key: 'devEui', header: t('devices.devEui'), cell: (l) => (l.devEui ? <code>{l.devEui}</code> : '—') },
    { key: 'topic', header: t('devices.topic'), cell: (l) => <code>{l.topic}</code> },
    {
      key: 'replay',
      header: t('devices.dead.replay'),
      cell: (l) =>
        l.replayedAt ? (
          t('devices.dead.replayedAt', { at: formatDate(l.replayedAt, i18n.language) })
        ) : (
          <Button
            variant="secondary"
            onClick={() => replay(l.id)}
            aria-label={t('devices.dead.replayOne', { at: formatDate(l.receivedAt, i18n.language) })}
          >
            {t('devices.dead.replay')}
          </Button>
        ),
    },
  ];
  const page = letters.data;
  return (
    <Card>
      <h2>{t('devices.deadLetters')}</h2>
      <p className="note">{t('devices.deadLettersLead')}</p>
      <form className="inline-form filters" onSubmit={(e) => e.preventDefault()}>
        <Select
          label={t('devices.reason')}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            setOffset(0);
          }}
          options={[{ value: '', label: t('devices.all') }, ...reasons.map((r) => ({ value: r, label: r }))]}
        />
        <TextField
          label={t('devices.devEui')}
          value={devEui}
          error={euiOk ? undefined : t('devices.form.devEuiInvalid')}
          onChange={(e) => {
            setDevEui(e.currentTarget.value);
            setOffset(0);
          }}
          spellCheck={false}
        />
        <Button variant="secondary" onClick={() => replay()} data-testid="replay-filter">
          {t('devices.dead.replayFilter')}
        </Button>
      </form>
      {failure !== null && <ErrorState error={failure} />}
      {letters.isPending && <Spinner />}
      {letters.isError && <ErrorState error={letters.error} onRetry={() => letters.refetch()} />}
      {page && (
        <>
          <Table
            caption={t('devices.deadLetters')}
            columns={columns}
            rows={page.items}
            rowKey={(l) => l.id}
            empty={t('devices.noDeadLetters')}
          />
          <nav className="pager" aria-label={t('devices.dead.pages')}>
            <Button
              variant="secondary"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - pageSize))}
            >
              {t('devices.dead.previous')}
            </Button>
            <span>
              {t('devices.dead.range', {
                from: page.total ? offset + 1 : 0,
                to: offset + page.items.length,
                total: page.total,
              })}
            </span>
            <Button
              variant="secondary"
              disabled={offset + pageSize >= page.total}
              onClick={() => setOffset(offset + pageSize)}
            >
              {t('devices.dead.next')}
            </Button>
          </nav>
        </>
      )}
    </Card>
  );
}
