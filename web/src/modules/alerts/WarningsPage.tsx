import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { Badge, Card, EmptyState, ErrorState, Spinner } from '../../ui/States.tsx';
import { type Bilingual, pick, type Severity, tone } from './shared.ts';

interface Warning {
  id: string;
  severity: Severity;
  event: Bilingual;
  headline: Bilingual;
  description: Bilingual;
  instruction: Bilingual;
  areaDesc: Bilingual;
  sent: string;
  expiresAt: string | null;
  capUrl: string;
}

/** Residents' page: the city's current public warnings (the CAP feed's data), no sign-in. */
export function WarningsPage() {
  const { t, i18n } = useTranslation();
  const warnings = useQuery({
    queryKey: ['public-warnings'],
    queryFn: () => api<Warning[]>('GET', '/api/alerts/public'),
    // Residents keep this open during an event: check for news every minute.
    refetchInterval: 60_000,
  });
  return (
    <section>
      <h1>{t('warnings.title')}</h1>
      <p>{t('warnings.lead')}</p>
      {warnings.isPending && <Spinner />}
      {warnings.isError && <ErrorState error={warnings.error} onRetry={() => warnings.refetch()} />}
      {warnings.data?.length === 0 && <EmptyState>{t('warnings.none')}</EmptyState>}
      <ul className="card-list">
        {warnings.data?.map((w) => (
          <li key={w.id}>
            <Card data-testid="warning" aria-labelledby={`warning-${w.id}`}>
              <h2 id={`warning-${w.id}`}>{pick(w.headline, i18n.language)}</h2>
              <p>
                <Badge tone={tone(w.severity)}>{t(`alerts.severity.${w.severity}`)}</Badge>{' '}
                {pick(w.event, i18n.language)}
              </p>
              {pick(w.areaDesc, i18n.language) && (
                <p>
                  {t('warnings.area')}: {pick(w.areaDesc, i18n.language)}
                </p>
              )}
              {pick(w.description, i18n.language) && <p>{pick(w.description, i18n.language)}</p>}
              {pick(w.instruction, i18n.language) && (
                <p>
                  <strong>{t('warnings.instruction')}:</strong> {pick(w.instruction, i18n.language)}
                </p>
              )}
              <p className="hint">
                {t('warnings.sent')} {formatDate(w.sent, i18n.language)}
                {w.expiresAt && ` · ${t('warnings.expires')} ${formatDate(w.expiresAt, i18n.language)}`} ·{' '}
                <a href={w.capUrl}>{t('warnings.cap')}</a>
              </p>
            </Card>
          </li>
        ))}
      </ul>
      <p>
        <a href="/alerts/cap.atom">{t('warnings.feed')}</a>
      </p>
    </section>
  );
}
