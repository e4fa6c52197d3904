import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { StaffRegisterLink } from '../../ui/StaffRegisterLink.tsx';
import { Badge, Card, ErrorState, Spinner } from '../../ui/States.tsx';
import { type Column, Table } from '../../ui/Table.tsx';
import { Select } from '../../ui/TextField.tsx';
import { FiguresChart } from './FiguresChart.tsx';
import { number, percent } from './format.ts';
import type { Building, Figures, Period, Summary } from './types.ts';

/** Public: the city's solar generation and grid exchange per day, month or year, CO2 avoided, and its buildings. */
export function EnergyPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [by, setBy] = useState<Period>('day');
  const summary = useQuery({
    queryKey: ['energy-summary'],
    queryFn: () => api<Summary>('GET', '/api/energy/summary'),
  });
  const figures = useQuery({
    queryKey: ['energy-figures', by],
    queryFn: () => api<Figures>('GET', `/api/energy/figures?by=${by}`),
  });
  const buildings = useQuery({
    queryKey: ['energy-buildings'],
    queryFn: () => api<Building[]>('GET', '/api/energy/buildings'),
  });
  const columns: Column<Building>[] = [
    {
      key: 'name',
      header: t('energy.building'),
      cell: (b) => (
        <>
          <Link to="/energy/buildings/$id" params={{ id: b.id }}>
            {lang === 'th' ? b.nameTh : b.nameEn}
          </Link>
          {b.synthetic && <Badge>{t('energy.synthetic')}</Badge>}
        </>
      ),
      sortValue: (b) => (lang === 'th' ? b.nameTh : b.nameEn),
    },
    { key: 'kind', header: t('energy.kind'), cell: (b) => t(`energy.kinds.${b.kind}`) },
    { key: 'kwp', header: t('energy.kwp'), cell: (b) => number(b.kwp, lang), sortValue: (b) => b.kwp },
    {
      key: 'area',
      header: t('energy.floorArea'),
      cell: (b) => number(b.floorAreaM2, lang, 0),
      sortValue: (b) => b.floorAreaM2,
    },
  ];
  const s = summary.data;
  return (
    <>
      <h1>{t('energy.title')}</h1>
      <p>{t('energy.lead')}</p>
      <StaffRegisterLink to="/energy/register" label={t('register.energy.open')} />
      {summary.isError && <ErrorState error={summary.error} onRetry={() => summary.refetch()} />}
      {s && (
        <Card aria-live="polite">
          <h2>{t('energy.yearSummary', { year: lang === 'th' ? Number(s.year) + 543 : s.year })}</h2>
          <dl className="facts energy-facts" data-testid="energy-summary">
            <dt>{t('energy.generated')}</dt>
            <dd>{number(s.totals.generatedKWh / 1000, lang, 2)} MWh</dd>
            <dt>{t('energy.co2Avoided')}</dt>
            <dd>{number(s.totals.co2AvoidedKg / 1000, lang, 2)} tCO2e</dd>
            <dt>{t('energy.selfConsumption')}</dt>
            <dd>{percent(s.totals.selfConsumption, lang)}</dd>
            <dt>{t('energy.installed')}</dt>
            <dd>
              {number(s.installedKwp, lang)} kWp · {t('energy.buildingCount', { n: s.buildings })}
            </dd>
          </dl>
          <p className="note">
            {t('energy.factorNote', {
              value: s.factor.kgCo2PerKWh,
              year: s.factor.year,
              source: s.factor.source,
            })}
          </p>
        </Card>
      )}
      <Card>
        <h2>{t('energy.figures')}</h2>
        <form className="inline-form filters" onSubmit={(e) => e.preventDefault()}>
          <Select
            label={t('energy.by')}
            value={by}
            onChange={(e) => setBy(e.target.value as Period)}
            options={[
              { value: 'day', label: t('energy.byDay') },
              { value: 'month', label: t('energy.byMonth') },
              { value: 'year', label: t('energy.byYear') },
            ]}
          />
        </form>
        {figures.isPending && <Spinner />}
        {figures.isError && <ErrorState error={figures.error} onRetry={() => figures.refetch()} />}
        {figures.data && (
          <>
            <FiguresChart figures={figures.data} />
            <p data-testid="energy-totals">
              {t('energy.totals', {
                generated: number(figures.data.totals.generatedKWh, lang, 0),
                co2: number(figures.data.totals.co2AvoidedKg, lang, 0),
              })}
            </p>
          </>
        )}
      </Card>
      <Card>
        <h2>{t('energy.buildings')}</h2>
        {buildings.isPending && <Spinner />}
        {buildings.isError && <ErrorState error={buildings.error} onRetry={() => buildings.refetch()} />}
        {buildings.data && (
          <Table
            caption={t('energy.buildings')}
            columns={columns}
            rows={buildings.data}
            rowKey={(b) => b.id}
            empty={t('energy.noBuildings')}
          />
        )}
      </Card>
    </>
  );
}
