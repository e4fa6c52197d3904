import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { Badge, Card, ErrorState, Spinner } from '../../ui/States.tsx';
import { type Column, Table } from '../../ui/Table.tsx';
import { FiguresChart } from './FiguresChart.tsx';
import { number, percent } from './format.ts';
import type { Figures, Installation, BuildingPage as Page } from './types.ts';

/** Public: one building's green-building page: its PV, consumption, energy intensity and CO2 avoided. */
export function BuildingPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { id } = useParams({ strict: false }) as { id?: string };
  const page = useQuery({
    queryKey: ['energy-building', id],
    queryFn: () => api<Page>('GET', `/api/energy/buildings/${encodeURIComponent(id ?? '')}`),
  });
  const months = useQuery({
    queryKey: ['energy-building-months', id],
    queryFn: () =>
      api<Figures>('GET', `/api/energy/figures?by=month&building=${encodeURIComponent(id ?? '')}`),
    enabled: page.isSuccess,
  });
  if (page.isPending) return <Spinner />;
  if (page.isError) return <ErrorState error={page.error} onRetry={() => page.refetch()} />;
  const { building, installations, lastYear, intensityKWhPerM2Year, factor } = page.data;
  const columns: Column<Installation>[] = [
    { key: 'name', header: t('energy.installation'), cell: (i) => i.name },
    { key: 'kind', header: t('energy.kind'), cell: (i) => t(`energy.installationKinds.${i.kind}`) },
    { key: 'kwp', header: t('energy.kwp'), cell: (i) => number(i.kwp, lang) },
    {
      key: 'installed',
      header: t('energy.installedOn'),
      cell: (i) => (i.installedOn ? formatDate(`${i.installedOn}T12:00:00+07:00`, lang, false) : '—'),
    },
  ];
  return (
    <>
      <p>
        <Link to="/energy">{t('energy.back')}</Link>
      </p>
      <h1>
        {lang === 'th' ? building.nameTh : building.nameEn}
        {building.synthetic && <Badge>{t('energy.synthetic')}</Badge>}
      </h1>
      <Card>
        <h2>{t('energy.lastYear')}</h2>
        <dl className="facts energy-facts" data-testid="building-facts">
          <dt>{t('energy.kind')}</dt>
          <dd>{t(`energy.kinds.${building.kind}`)}</dd>
          <dt>{t('energy.floorArea')}</dt>
          <dd>{number(building.floorAreaM2, lang, 0)} m²</dd>
          <dt>{t('energy.generated')}</dt>
          <dd>{number(lastYear.generatedKWh, lang, 0)} kWh</dd>
          <dt>{t('energy.consumed')}</dt>
          <dd>
            {lastYear.consumedKWh === null
              ? t('energy.noMeter')
              : `${number(lastYear.consumedKWh, lang, 0)} kWh`}
          </dd>
          <dt>{t('energy.selfConsumption')}</dt>
          <dd>{percent(lastYear.selfConsumption, lang)}</dd>
          <dt>{t('energy.intensity')}</dt>
          <dd>{intensityKWhPerM2Year === null ? '—' : `${number(intensityKWhPerM2Year, lang, 1)} kWh/m²`}</dd>
          <dt>{t('energy.co2Avoided')}</dt>
          <dd>{number(lastYear.co2AvoidedKg, lang, 0)} kgCO2e</dd>
        </dl>
        <p className="note">
          {t('energy.factorNote', { value: factor.kgCo2PerKWh, year: factor.year, source: factor.source })}
        </p>
      </Card>
      <Card>
        <h2>{t('energy.byMonth')}</h2>
        {months.isPending && <Spinner />}
        {months.isError && <ErrorState error={months.error} onRetry={() => months.refetch()} />}
        {months.data && <FiguresChart figures={months.data} />}
      </Card>
      <Card>
        <h2>{t('energy.installations')}</h2>
        <Table
          caption={t('energy.installations')}
          columns={columns}
          rows={installations}
          rowKey={(i) => i.id}
          empty={t('energy.noInstallations')}
        />
      </Card>
    </>
  );
}
