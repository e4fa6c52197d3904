import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { useMe } from '../../session.ts';
import { Button } from '../../ui/Button.tsx';
import { Badge, Card, EmptyState, ErrorState, Spinner } from '../../ui/States.tsx';
import { Table } from '../../ui/Table.tsx';
import { DeclarationForm, DeclarationQueue, MyDeclarations } from './Declaration.tsx';
import { ImportCard } from './ImportCard.tsx';
import { StatementCard } from './StatementCard.tsx';

interface Bill {
  id: string;
  number: string;
  taxYear: number;
  taxKind: 'land-building' | 'sign';
  amountBaht: string;
  status: 'open' | 'nothing_due' | 'paid' | 'cancelled';
  dueDate: string;
  paidAt: string | null;
  working: { th: string; en: string; satang: number }[];
  instalments: {
    seq: number;
    number: string;
    amountBaht: string;
    dueDate: string;
    status: 'open' | 'paid';
  }[];
}

interface Report {
  year: number;
  billedSatang: number;
  collectedSatang: number;
  outstandingSatang: number;
  collectionRate: number | null;
  rows: {
    taxKind: string;
    zone: string | null;
    bills: number;
    billedSatang: number;
    collectedSatang: number;
    outstandingSatang: number;
  }[];
}

const money = (satang: number, lang: string) =>
  (satang / 100).toLocaleString(lang === 'th' ? 'th-TH' : 'en-GB', { minimumFractionDigits: 2 });
const thaiYear = () => new Date().getFullYear() + 543;

export function TaxPage() {
  const { t } = useTranslation();
  const me = useMe();
  if (me.isPending) return <Spinner />;
  const finance =
    me.data?.kind === 'staff' &&
    (me.data.role === 'admin' ||
      me.data.role === 'executive' ||
      ((me.data.role === 'officer' || me.data.role === 'office_manager') &&
        me.data.officeCode === 'finance'));
  const keepsRegister = finance && me.data?.role !== 'executive';
  return (
    <section>
      <h1>{t('tax.title')}</h1>
      {!me.data && (
        <p>
          <Link to="/signin">{t('tax.signinFirst')}</Link>
        </p>
      )}
      {me.data?.kind === 'citizen' && (
        <>
          <p>
            <Link to="/tax/properties">{t('tax.properties.link')}</Link>
          </p>
          <MyBills />
          <DeclarationForm />
          <MyDeclarations />
        </>
      )}
      {finance && (
        <p>
          <Link to="/tax/register">{t('tax.register.link')}</Link>
        </p>
      )}
      {me.data?.kind === 'staff' && <Reports />}
      {finance && <DeclarationQueue canAccept={keepsRegister} />}
      {keepsRegister && <StatementCard />}
      {keepsRegister && <ImportCard />}
    </section>
  );
}

function MyBills() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const bills = useQuery({ queryKey: ['tax', 'mine'], queryFn: () => api<Bill[]>('GET', '/api/tax/mine') });
  const plan = useMutation({
    mutationFn: (id: string) => api('POST', `/api/tax/bills/${id}/instalments`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['tax', 'mine'] }),
  });
  if (bills.isPending) return <Spinner />;
  if (bills.isError) return <ErrorState error={bills.error} />;
  if (bills.data.length === 0) return <EmptyState>{t('tax.none')}</EmptyState>;
  return (
    <>
      {plan.isError && <ErrorState error={plan.error} />}
      <ul className="bills">
        {bills.data.map((b) => (
          <li key={b.id} className="card bill" data-testid="bill">
            <h2>
              {t(`tax.kind.${b.taxKind}`)} {t('tax.year', { year: b.taxYear })}
            </h2>
            <p>
              <Badge tone={b.status === 'open' ? 'warn' : 'info'}>{t(`tax.status.${b.status}`)}</Badge>{' '}
              {t('tax.number')} <code>{b.number}</code>
            </p>
            <p className="amount">
              {t('tax.amount')}: <strong>{b.amountBaht}</strong> {t('tax.baht')}
              {b.status === 'open' &&
                ` · ${t('tax.due')} ${formatDate(`${b.dueDate}T00:00:00+07:00`, i18n.language, false)}`}
              {b.paidAt && ` · ${t('tax.paidAt')} ${formatDate(b.paidAt, i18n.language)}`}
            </p>
            {b.status === 'open' &&
              b.instalments.length === 0 &&
              b.taxKind === 'land-building' &&
              Number(b.amountBaht) >= 3000 && (
                <Button variant="secondary" onClick={() => plan.mutate(b.id)} disabled={plan.isPending}>
                  {t('tax.instalments.plan')}
                </Button>
              )}
            {b.instalments.length > 0 && (
              <ol className="instalments" aria-label={t('tax.instalments.title')}>
                {b.instalments.map((i) => (
                  <li key={i.number} data-testid="instalment">
                    {t('tax.instalments.item', {
                      seq: i.seq,
                      amount: i.amountBaht,
                      due: formatDate(`${i.dueDate}T00:00:00+07:00`, i18n.language, false),
                    })}{' '}
                    <Badge tone={i.status === 'open' ? 'warn' : 'info'}>{t(`tax.status.${i.status}`)}</Badge>
                    {i.status === 'open' && (
                      <img
                        src={`/api/tax/bills/${b.id}/qr.png?instalment=${i.seq}`}
                        width={200}
                        height={200}
                        alt={t('tax.qrAlt', { amount: i.amountBaht, number: i.number })}
                      />
                    )}
                  </li>
                ))}
              </ol>
            )}
            {b.status === 'open' && b.instalments.length === 0 && (
              <figure className="qr">
                <img
                  src={`/api/tax/bills/${b.id}/qr.png`}
                  width={240}
                  height={240}
                  alt={t('tax.qrAlt', { amount: b.amountBaht, number: b.number })}
                />
                <figcaption>{t('tax.qrHint')}</figcaption>
              </figure>
            )}
            {b.status === 'paid' && (
              <a
                className="btn btn-primary"
                href={`/api/tax/bills/${b.id}/receipt.pdf`}
                download={`receipt-${b.number}.pdf`}
                data-testid="receipt"
              >
                {t('tax.receipt')}
              </a>
            )}
            <details>
              <summary>{t('tax.working')}</summary>
              <ol className="working">
                {b.working.map((line) => (
                  <li key={`${line.en}:${line.satang}`}>
                    {i18n.language === 'en' ? line.en : line.th} — {money(line.satang, i18n.language)}{' '}
                    {t('tax.baht')}
                  </li>
                ))}
              </ol>
            </details>
          </li>
        ))}
      </ul>
    </>
  );
}

function Reports() {
  const { t, i18n } = useTranslation();
  const year = thaiYear();
  const report = useQuery({
    queryKey: ['tax', 'report', year],
    queryFn: () => api<Report>('GET', `/api/tax/reports/${year}`),
  });
  if (report.isPending) return <Spinner />;
  if (report.isError) return <ErrorState error={report.error} />;
  const r = report.data;
  return (
    <Card>
      <h2>{t('tax.report', { year })}</h2>
      <p>
        {t('tax.billed')} {money(r.billedSatang, i18n.language)} · {t('tax.collected')}{' '}
        {money(r.collectedSatang, i18n.language)} · {t('tax.collectionRate')}{' '}
        {r.collectionRate === null ? '—' : `${(r.collectionRate * 100).toFixed(1)}%`}
      </p>
      <Table
        caption={t('tax.report', { year })}
        rows={r.rows}
        rowKey={(row) => `${row.taxKind}-${row.zone}`}
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
          { key: 'bills', header: t('tax.bills'), cell: (row) => row.bills, sortValue: (row) => row.bills },
          {
            key: 'billed',
            header: t('tax.billed'),
            cell: (row) => money(row.billedSatang, i18n.language),
            sortValue: (row) => row.billedSatang,
          },
          {
            key: 'out',
            header: t('tax.outstanding'),
            cell: (row) => money(row.outstandingSatang, i18n.language),
            sortValue: (row) => row.outstandingSatang,
          },
        ]}
      />
    </Card>
  );
}
