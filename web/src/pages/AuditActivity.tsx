import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { formatDate } from '../dates.ts';
import { LazyChart } from '../ui/lazy.tsx';
import { Card, ErrorState, Spinner } from '../ui/States.tsx';

/** Audit entries per day over the last two weeks, as a bar chart with a text alternative. */
export function AuditActivity() {
  const { t, i18n } = useTranslation();
  const activity = useQuery({
    queryKey: ['audit-activity'],
    queryFn: () => api<{ day: string; count: number }[]>('GET', '/api/audit/activity?days=14'),
  });
  const days = useMemo(
    () =>
      activity.data?.map((d) => ({
        label: formatDate(`${d.day}T12:00:00+07:00`, i18n.language, false),
        count: d.count,
      })),
    [activity.data, i18n.language],
  );
  const option = useMemo(
    () =>
      days && {
        grid: { left: 40, right: 16, top: 16, bottom: 32 },
        tooltip: { trigger: 'axis' as const },
        xAxis: { type: 'category' as const, data: days.map((d) => d.label) },
        yAxis: { type: 'value' as const, minInterval: 1 },
        series: [
          {
            type: 'bar' as const,
            name: t('audit.entries'),
            data: days.map((d) => d.count),
            itemStyle: { color: '#0b5394' },
          },
        ],
      },
    [days, t],
  );
  return (
    <Card>
      <h2>{t('audit.activity')}</h2>
      {activity.isPending && <Spinner />}
      {activity.isError && <ErrorState error={activity.error} onRetry={() => activity.refetch()} />}
      {option && days && (
        <LazyChart
          option={option}
          height={220}
          label={`${t('audit.activity')}: ${days.map((d) => `${d.label} ${d.count}`).join(', ')}`}
        />
      )}
    </Card>
  );
}
