import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { Card, ErrorState, Spinner } from '../../ui/States.tsx';
import { Table } from '../../ui/Table.tsx';
import { Select } from '../../ui/TextField.tsx';
import { baht } from './finance-access.ts';

interface Report {
  year: number;
  billedSatang: number;
  collectedSatang: number;
  surchargeCollectedSatang: number;
  penaltyCollectedSatang: number;
  receivedSatang: number;
  outstandingSatang: number;
  collectionRate: number | null;
  rows: {
    taxKind: string;
    zone: string | null;
    bills: number;
    billedSatang: number;
    collectedSatang: number;
    surchargeCollectedSatang: number;
    penaltyCollectedSatang: number;
    receivedSatang: number;
    outstandingSatang: number;
  }[];
}

const thaiYear = () => new Date().getFullYear() + 543;
/** B.E. 2563 (2020): the first tax year of the Land and Building Tax Act B.E. 2562. */
const firstYear = 2563;

/**
 * Billed, collected and outstanding tax for a chosen tax year (B.E.), by kind and zone. Collected is
 * the tax received (paid instalments too); late charges received are a column of their own, and the
 * rate is tax received / tax billed (docs/modules/tax.md, "Reports").
 */
export function Reports() {
  const { t, i18n } = useTranslation();
  const [year, setYear] = useState(thaiYear());
  const years = Array.from({ length: thaiYear() - firstYear + 2 }, (_, i) => thaiYear() + 1 - i);
  const report = useQuery({
    queryKey: ['tax', 'report', year],
    queryFn: () => api<Report>('GET', `/api/tax/reports/${year}`),
    placeholderData: keepPreviousData,
  });
  const lang = i18n.language;
  const r = report.data;
  return (
    <Card>
      <h2>{t('tax.report', { year })}</h2>
      <Select
        label={t('taxOffice.reports.year')}
        value={String(year)}
        onChange={(e) => setYear(Number(e.target.value))}
        options={years.map((y) => ({ value: String(y), label: t('tax.year', { year: y }) }))}
      />
      {report.isPending && <Spinner />}
      {report.isError && <ErrorState error={report.error} />}
      {r && (
        <>
          <p data-testid="report-summary" aria-live="polite">
            {t('tax.billed')} {baht(r.billedSatang, lang)} · {t('tax.collected')}{' '}
            {baht(r.collectedSatang, lang)} · {t('tax.chargesCollected')}{' '}
            {baht(r.surchargeCollectedSatang + r.penaltyCollectedSatang, lang)} · {t('tax.received')}{' '}
            {baht(r.receivedSatang, lang)} · {t('tax.collectionRate')}{' '}
            {r.collectionRate === null ? '—' : `${(r.collectionRate * 100).toFixed(1)}%`}
          </p>
          <Table
            caption={t('tax.report', { year: r.year })}
            rows={r.rows}
            rowKey={(row) => `${row.taxKind}-${row.zone}`}
            empty={t('taxOffice.reports.none', { year: r.year })}
            columns={[
              {
                key: 'kind',
                header: t('tax.kindLabel'),
                cell: (row) => t(`tax.kind.${row.taxKind}`),
                sortValue: (row) => row.taxKind,
              },
              {
                key: 'zone',
                header: t('tax.zone'),
                cell: (row) => row.zone ?? '—',
                sortValue: (row) => row.zone ?? '',
              },
              {
                key: 'bills',
                header: t('tax.bills'),
                cell: (row) => row.bills,
                sortValue: (row) => row.bills,
              },
              {
                key: 'billed',
                header: t('tax.billed'),
                cell: (row) => baht(row.billedSatang, lang),
                sortValue: (row) => row.billedSatang,
              },
              {
                key: 'collected',
                header: t('tax.collected'),
                cell: (row) => baht(row.collectedSatang, lang),
                sortValue: (row) => row.collectedSatang,
              },
              {
                key: 'charges',
                header: t('tax.chargesCollected'),
                cell: (row) => baht(row.surchargeCollectedSatang + row.penaltyCollectedSatang, lang),
                sortValue: (row) => row.surchargeCollectedSatang + row.penaltyCollectedSatang,
              },
              {
                key: 'out',
                header: t('tax.outstanding'),
                cell: (row) => baht(row.outstandingSatang, lang),
                sortValue: (row) => row.outstandingSatang,
              },
            ]}
          />
        </>
      )}
    </Card>
  );
}
