import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { Button } from '../../ui/Button.tsx';
import { ErrorState } from '../../ui/States.tsx';
import { Table } from '../../ui/Table.tsx';

interface Result {
  from: string;
  to: string;
  readings: number;
  truncated: boolean;
  events: { subject: string; event: 'fire' | 'clear'; at: string; value: number | null }[];
}

/** "What would this have fired last week?": the form's rule replayed on stored readings, as a table. */
export function Backtest({
  body,
  onInvalid,
}: {
  body: Record<string, unknown> | null;
  onInvalid: () => void;
}) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const run = useMutation({
    mutationFn: (rule: Record<string, unknown>) => api<Result>('POST', '/api/rules/backtest', { rule }),
  });
  const names = new Map(
    (client.getQueryData<{ id: string; name: string }[]>(['devices', 'all']) ?? []).map((d) => [
      d.id,
      d.name,
    ]),
  );
  const r = run.data;
  return (
    <section aria-labelledby="backtest-title" className="backtest">
      <h3 id="backtest-title">{t('rules.backtest.title')}</h3>
      <Button
        variant="secondary"
        disabled={run.isPending}
        data-testid="rule-backtest"
        onClick={() => (body ? run.mutate(body) : onInvalid())}
      >
        {t('rules.backtest.run')}
      </Button>
      {run.isError && <ErrorState error={run.error} />}
      <div aria-live="polite">
        {r && (
          <>
            <p data-testid="backtest-summary">
              {t('rules.backtest.summary', {
                readings: r.readings,
                fires: r.events.filter((e) => e.event === 'fire').length,
                clears: r.events.filter((e) => e.event === 'clear').length,
                from: formatDate(r.from, i18n.language),
                to: formatDate(r.to, i18n.language),
              })}
              {r.truncated && ` ${t('rules.backtest.truncated')}`}
            </p>
            <Table
              caption={t('rules.backtest.caption')}
              rows={r.events}
              rowKey={(e) => `${e.subject}|${e.at}|${e.event}`}
              empty={t('rules.backtest.none')}
              columns={[
                {
                  key: 'at',
                  header: t('rules.backtest.at'),
                  cell: (e) => formatDate(e.at, i18n.language),
                  sortValue: (e) => e.at,
                },
                {
                  key: 'subject',
                  header: t('rules.backtest.device'),
                  cell: (e) => names.get(e.subject) ?? e.subject,
                  sortValue: (e) => names.get(e.subject) ?? e.subject,
                },
                {
                  key: 'event',
                  header: t('rules.backtest.event'),
                  cell: (e) => t(`rules.backtest.${e.event}`),
                },
                { key: 'value', header: t('rules.backtest.value'), cell: (e) => e.value ?? '—' },
              ]}
            />
          </>
        )}
      </div>
    </section>
  );
}
