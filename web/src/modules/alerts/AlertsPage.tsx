import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { useMe } from '../../session.ts';
import { Button } from '../../ui/Button.tsx';
import { Badge, Card, EmptyState, ErrorState, Spinner } from '../../ui/States.tsx';
import { StaffOnly } from '../devices/shared.tsx';
import { type Bilingual, pick, type Severity, tone } from './shared.ts';

interface Alert {
  id: string;
  source: 'rule' | 'manual';
  subject: string;
  public: boolean;
  severity: Severity;
  headline: Bilingual;
  description: Bilingual;
  status: 'raised' | 'acknowledged' | 'resolved';
  raisedAt: string;
  escalatedAt: string | null;
}

const streamEvents = [
  'alert.raised',
  'alert.updated',
  'alert.acknowledged',
  'alert.resolved',
  'alert.escalated',
];

/** Keeps the alert list current from the server-sent event stream; says whether it is connected. */
function useLiveAlerts(enabled: boolean): 'connecting' | 'live' | 'offline' {
  const client = useQueryClient();
  const [state, setState] = useState<'connecting' | 'live' | 'offline'>('connecting');
  useEffect(() => {
    if (!enabled) return;
    const source = new EventSource('/api/alerts/stream');
    const refresh = () => client.invalidateQueries({ queryKey: ['alerts'] });
    source.onopen = () => {
      setState('live');
      // Whatever happened while the stream was down is fetched once on (re)connect.
      refresh();
    };
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
    for (const type of streamEvents) source.addEventListener(type, refresh);
    return () => source.close();
  }, [enabled, client]);
  return state;
}

/** Staff alerts, live: raised ones first to act on, with acknowledge and resolve. */
export function AlertsPage() {
  const { t } = useTranslation();
  return (
    <StaffOnly title={t('alerts.title')}>
      <AlertList />
    </StaffOnly>
  );
}

function AlertList() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const client = useQueryClient();
  const live = useLiveAlerts(me?.kind === 'staff');
  const [status, setStatus] = useState<'open' | 'resolved'>('open');
  const alerts = useQuery({
    queryKey: ['alerts', status],
    queryFn: async () => {
      if (status === 'resolved') return api<Alert[]>('GET', '/api/alerts?status=resolved&limit=100');
      const [raised, acked] = await Promise.all([
        api<Alert[]>('GET', '/api/alerts?status=raised&limit=100'),
        api<Alert[]>('GET', '/api/alerts?status=acknowledged&limit=100'),
      ]);
      return [...raised, ...acked];
    },
  });
  const act = useMutation({
    mutationFn: ({ id, step }: { id: string; step: 'acknowledge' | 'resolve' }) =>
      api('POST', `/api/alerts/${id}/${step}`, step === 'resolve' ? {} : undefined),
    onSettled: () => client.invalidateQueries({ queryKey: ['alerts'] }),
  });
  const canAct = me && ['admin', 'office_manager', 'officer'].includes(me.role);

  return (
    <>
      <p className="hint" role="status" data-testid="alerts-live">
        {t(`alerts.live.${live}`)}
      </p>
      <fieldset className="inline-form filters">
        <legend className="visually-hidden">{t('alerts.filter')}</legend>
        <Button
          variant={status === 'open' ? 'primary' : 'secondary'}
          aria-pressed={status === 'open'}
          onClick={() => setStatus('open')}
        >
          {t('alerts.open')}
        </Button>
        <Button
          variant={status === 'resolved' ? 'primary' : 'secondary'}
          aria-pressed={status === 'resolved'}
          onClick={() => setStatus('resolved')}
        >
          {t('alerts.resolvedList')}
        </Button>
      </fieldset>
      {act.isError && <ErrorState error={act.error} />}
      {alerts.isPending && <Spinner />}
      {alerts.isError && <ErrorState error={alerts.error} onRetry={() => alerts.refetch()} />}
      {alerts.data?.length === 0 && <EmptyState>{t('alerts.none')}</EmptyState>}
      <ul className="card-list" data-testid="alert-list">
        {alerts.data?.map((a) => (
          <li key={a.id}>
            <Card data-testid="alert" data-alert-id={a.id} aria-labelledby={`alert-${a.id}`}>
              <h2 id={`alert-${a.id}`}>{pick(a.headline, i18n.language)}</h2>
              <p>
                <Badge tone={tone(a.severity)}>{t(`alerts.severity.${a.severity}`)}</Badge>{' '}
                <Badge data-testid="alert-status">{t(`alerts.status.${a.status}`)}</Badge>{' '}
                {a.escalatedAt && <Badge tone="warn">{t('alerts.escalated')}</Badge>}{' '}
                {a.public && <Badge>{t('alerts.public')}</Badge>}
              </p>
              {pick(a.description, i18n.language) && <p>{pick(a.description, i18n.language)}</p>}
              <p className="hint">
                {t('alerts.raisedAt')} {formatDate(a.raisedAt, i18n.language)} · {a.subject}
              </p>
              {canAct && a.status !== 'resolved' && (
                <div className="inline-form">
                  {a.status === 'raised' && (
                    <Button
                      disabled={act.isPending}
                      onClick={() => act.mutate({ id: a.id, step: 'acknowledge' })}
                    >
                      {t('alerts.acknowledge')}
                    </Button>
                  )}
                  <Button
                    variant="secondary"
                    disabled={act.isPending}
                    onClick={() => act.mutate({ id: a.id, step: 'resolve' })}
                  >
                    {t('alerts.resolve')}
                  </Button>
                </div>
              )}
            </Card>
          </li>
        ))}
      </ul>
    </>
  );
}
