import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { useMe } from '../../session.ts';
import { Button } from '../../ui/Button.tsx';
import { Card, EmptyState, ErrorState, Spinner } from '../../ui/States.tsx';
import { Table } from '../../ui/Table.tsx';
import { Select, TextField } from '../../ui/TextField.tsx';
import { baht, financeAccess } from './finance-access.ts';

interface Arrear {
  id: string;
  number: string;
  taxYear: number;
  taxKind: 'land-building' | 'sign';
  ownerName: string;
  dueDate: string;
  monthsLate: number;
  amountSatang: number;
  surchargeSatang: number;
  penaltySatang: number;
  totalSatang: number;
  /** The reminder (หนังสือแจ้งเตือน) sent, whose deadline sets the penalty (20 % by it, 40 % after). */
  reminder: { sentOn: string; deadline: string } | null;
  instalmentsLapsed: boolean;
}

interface Sent {
  taxYear: number;
  deadline: string;
  sent: number;
}

interface ArrearsPageBody {
  asOf: string;
  total: number;
  totals: {
    count: number;
    amountSatang: number;
    surchargeSatang: number;
    penaltySatang: number;
    totalSatang: number;
  };
  bills: Arrear[];
}
type Kind = '' | 'land-building' | 'sign';
const pageSize = 50;

/** Today in Thailand, as the API's `asOf` (YYYY-MM-DD). */
const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Bangkok' });
const day = (iso: string, lang: string) => formatDate(`${iso}T00:00:00+07:00`, lang, false);

/** Finance staff list the bills past due with what the law adds by a chosen day, and the totals. */
export function ArrearsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [asOf, setAsOf] = useState(today());
  const [kind, setKind] = useState<Kind>('');
  const [zone, setZone] = useState('');
  const [page, setPage] = useState(0);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(asOf);
  const { reads, keeps } = financeAccess(me.data);
  const client = useQueryClient();
  const [sent, setSent] = useState<Sent | null>(null);
  const send = useMutation({
    mutationFn: (taxYear: number) => api<Sent>('POST', '/api/tax/reminders', { taxYear }),
    onSuccess: (result) => {
      setSent(result);
      return client.invalidateQueries({ queryKey: ['tax', 'arrears'] });
    },
  });
  const arrears = useQuery({
    queryKey: ['tax', 'arrears', asOf, kind, zone.trim(), page],
    queryFn: () => {
      const params = new URLSearchParams({ asOf, limit: String(pageSize), offset: String(page * pageSize) });
      if (kind) params.set('taxKind', kind);
      if (zone.trim()) params.set('zone', zone.trim());
      return api<ArrearsPageBody>('GET', `/api/tax/arrears?${params}`);
    },
    enabled: reads && valid,
    placeholderData: keepPreviousData,
  });
  if (me.isPending) return <Spinner />;
  const lang = i18n.language;
  const bills = arrears.data?.bills ?? [];
  const totals = arrears.data?.totals;
  // A new day or filter starts again at the first page.
  const refilter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(0);
    };
  // Reminders are sent as of today, for all the overdue bills of a year that have none yet.
  const unreminded =
    arrears.data?.asOf === today()
      ? [...new Set(bills.filter((b) => !b.reminder).map((b) => b.taxYear))].sort()
      : [];
  return (
    <section>
      <p>
        <Link to="/tax">{t('taxOffice.back')}</Link>
      </p>
      <h1>{t('taxOffice.arrears.title')}</h1>
      {!reads ? (
        <EmptyState>{t('taxOffice.financeOnly')}</EmptyState>
      ) : (
        <>
          <p>{t('taxOffice.arrears.lead')}</p>
          <TextField
            type="date"
            label={t('taxOffice.arrears.asOf')}
            hint={valid ? t('taxOffice.arrears.asOfHint', { day: day(asOf, lang) }) : undefined}
            error={valid ? undefined : t('taxOffice.arrears.dateInvalid')}
            value={asOf}
            onChange={(e) => refilter(setAsOf)(e.target.value)}
          />
          <Select
            label={t('taxOffice.arrears.kind')}
            value={kind}
            onChange={(e) => refilter(setKind)(e.target.value as Kind)}
            options={[
              { value: '', label: t('taxOffice.arrears.allKinds') },
              { value: 'land-building', label: t('tax.kind.land-building') },
              { value: 'sign', label: t('tax.kind.sign') },
            ]}
          />
          <TextField
            label={t('taxOffice.arrears.zone')}
            hint={t('taxOffice.arrears.zoneHint')}
            value={zone}
            maxLength={50}
            onChange={(e) => refilter(setZone)(e.target.value)}
          />
          {arrears.isError && <ErrorState error={arrears.error} />}
          {arrears.isPending && valid && <Spinner />}
          {arrears.data && (
            <Card>
              <h2>{t('taxOffice.arrears.heading', { day: day(arrears.data.asOf, lang) })}</h2>
              {totals && (
                <dl className="totals" data-testid="arrears-totals">
                  <dt>{t('taxOffice.arrears.count')}</dt>
                  <dd>{totals.count.toLocaleString(lang === 'th' ? 'th-TH' : 'en-GB')}</dd>
                  <dt>{t('taxOffice.arrears.tax')}</dt>
                  <dd>{baht(totals.amountSatang, lang)}</dd>
                  <dt>{t('taxOffice.arrears.surcharge')}</dt>
                  <dd>{baht(totals.surchargeSatang, lang)}</dd>
                  <dt>{t('taxOffice.arrears.penalty')}</dt>
                  <dd>{baht(totals.penaltySatang, lang)}</dd>
                  <dt>{t('taxOffice.arrears.total')}</dt>
                  <dd>
                    <strong>{baht(totals.totalSatang, lang)}</strong>
                  </dd>
                </dl>
              )}
              <p>{t('taxOffice.arrears.totalsNote')}</p>
              <p>{t('taxOffice.arrears.reminderLead')}</p>
              {keeps &&
                unreminded.map((year) => (
                  <Button
                    key={year}
                    variant="secondary"
                    disabled={send.isPending}
                    onClick={() => send.mutate(year)}
                  >
                    {t('taxOffice.arrears.sendReminders', { year })}
                  </Button>
                ))}
              <p role="status" data-testid="reminders-sent">
                {sent &&
                  t('taxOffice.arrears.remindersSent', {
                    count: sent.sent,
                    year: sent.taxYear,
                    deadline: day(sent.deadline, lang),
                  })}
              </p>
              {send.isError && <ErrorState error={send.error} />}
              <Table
                caption={t('taxOffice.arrears.caption', { day: day(arrears.data.asOf, lang) })}
                rows={bills}
                rowKey={(b) => b.id}
                pageSize={pageSize}
                server={{ total: arrears.data.total, page, onPage: setPage }}
                empty={t('taxOffice.arrears.none')}
                columns={[
                  {
                    key: 'number',
                    header: t('tax.number'),
                    cell: (b) => <code>{b.number}</code>,
                    sortValue: (b) => b.number,
                  },
                  {
                    key: 'owner',
                    header: t('taxOffice.arrears.owner'),
                    cell: (b) => b.ownerName,
                    sortValue: (b) => b.ownerName,
                  },
                  {
                    key: 'kind',
                    header: t('tax.kindLabel'),
                    cell: (b) => `${t(`tax.kind.${b.taxKind}`)} ${b.taxYear}`,
                    sortValue: (b) => b.taxKind,
                  },
                  {
                    key: 'due',
                    header: t('taxOffice.arrears.due'),
                    cell: (b) => day(b.dueDate, lang),
                    sortValue: (b) => b.dueDate,
                  },
                  {
                    key: 'months',
                    header: t('taxOffice.arrears.monthsLate'),
                    cell: (b) => b.monthsLate,
                    sortValue: (b) => b.monthsLate,
                  },
                  {
                    key: 'amount',
                    header: t('taxOffice.arrears.tax'),
                    cell: (b) => baht(b.amountSatang, lang),
                    sortValue: (b) => b.amountSatang,
                  },
                  {
                    key: 'surcharge',
                    header: t('taxOffice.arrears.surcharge'),
                    cell: (b) => baht(b.surchargeSatang, lang),
                    sortValue: (b) => b.surchargeSatang,
                  },
                  {
                    key: 'penalty',
                    header: t('taxOffice.arrears.penalty'),
                    cell: (b) => baht(b.penaltySatang, lang),
                    sortValue: (b) => b.penaltySatang,
                  },
                  {
                    key: 'total',
                    header: t('taxOffice.arrears.total'),
                    cell: (b) => baht(b.totalSatang, lang),
                    sortValue: (b) => b.totalSatang,
                  },
                  {
                    key: 'reminder',
                    header: t('taxOffice.arrears.reminder'),
                    cell: (b) =>
                      b.reminder
                        ? t('taxOffice.arrears.reminderSent', {
                            sent: day(b.reminder.sentOn, lang),
                            deadline: day(b.reminder.deadline, lang),
                          })
                        : t('taxOffice.arrears.reminderNone'),
                    sortValue: (b) => b.reminder?.deadline ?? '',
                  },
                ]}
              />
            </Card>
          )}
        </>
      )}
    </section>
  );
}
