import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { Button } from '../../ui/Button.tsx';
import { Badge, Card, ErrorState, Spinner } from '../../ui/States.tsx';
import { useFocusOnOpen } from '../../ui/useFocusOnOpen.ts';
import { baht } from './finance-access.ts';

/** A bill as GET /api/tax/bills(/{id}) answers it to staff (schemas.ts BillSchema). */
export interface StaffBill {
  id: string;
  number: string;
  taxYear: number;
  taxKind: 'land-building' | 'sign';
  ownerName: string;
  amountSatang: number;
  status: 'open' | 'nothing_due' | 'paid' | 'cancelled';
  dueDate: string;
  paidAt: string | null;
  working: { th: string; en: string; satang: number }[];
  asOf: string;
  monthsLate: number;
  surchargeSatang: number;
  penaltySatang: number;
  amountDueSatang: number;
  instalments: {
    seq: number;
    number: string;
    amountBaht: string;
    amountDueBaht: string;
    dueDate: string;
    status: string;
  }[];
}

const day = (iso: string, lang: string) => formatDate(`${iso}T00:00:00+07:00`, lang, false);

/** One bill for staff (the API audits the read): its owner, working, amount due today, instalments and PDFs. */
export function BillView({ id, onBack }: { id: string; onBack: () => void }) {
  const { t, i18n } = useTranslation();
  const heading = useFocusOnOpen<HTMLHeadingElement>();
  const bill = useQuery({
    queryKey: ['tax', 'bill', id],
    queryFn: () => api<StaffBill>('GET', `/api/tax/bills/${id}`),
  });
  const lang = i18n.language;
  const money = (satang: number) => `${baht(satang, lang)} ${t('tax.baht')}`;
  const b = bill.data;
  return (
    <Card data-testid="bill-view">
      <h2 ref={heading} tabIndex={-1}>
        {b ? t('taxBills.billHeading', { number: b.number }) : t('taxBills.bill')}
      </h2>
      <Button variant="secondary" onClick={onBack}>
        {t('taxBills.backToList')}
      </Button>
      {bill.isPending && <Spinner />}
      {bill.isError && <ErrorState error={bill.error} onRetry={() => bill.refetch()} />}
      {b && (
        <>
          <dl className="totals">
            <dt>{t('taxBills.owner')}</dt>
            <dd>{b.ownerName}</dd>
            <dt>{t('taxBills.kind')}</dt>
            <dd>
              {t(`tax.kind.${b.taxKind}`)} {t('tax.year', { year: b.taxYear })}
            </dd>
            <dt>{t('taxBills.status')}</dt>
            <dd>
              <Badge tone={b.status === 'open' ? 'warn' : 'info'}>{t(`tax.status.${b.status}`)}</Badge>
              {b.paidAt && ` ${t('tax.paidAt')} ${formatDate(b.paidAt, lang)}`}
            </dd>
            <dt>{t('taxBills.due')}</dt>
            <dd>{day(b.dueDate, lang)}</dd>
            <dt>{t('tax.late.tax')}</dt>
            <dd>{money(b.amountSatang)}</dd>
            {b.surchargeSatang > 0 && (
              <>
                <dt>{t('tax.late.surcharge')}</dt>
                <dd>{money(b.surchargeSatang)}</dd>
              </>
            )}
            {b.penaltySatang > 0 && (
              <>
                <dt>{t('tax.late.penalty')}</dt>
                <dd>{money(b.penaltySatang)}</dd>
              </>
            )}
            <dt>
              {b.status === 'paid' ? t('tax.late.paid') : t('taxBills.dueOn', { day: day(b.asOf, lang) })}
            </dt>
            <dd data-testid="amount-due">
              <strong>{money(b.amountDueSatang)}</strong>
            </dd>
          </dl>
          {b.instalments.length > 0 && (
            <>
              <h3>{t('tax.instalments.title')}</h3>
              <ol className="instalments">
                {b.instalments.map((i) => (
                  <li key={i.number}>
                    {t('tax.instalments.item', {
                      seq: i.seq,
                      amount: i.status === 'open' ? i.amountDueBaht : i.amountBaht,
                      due: day(i.dueDate, lang),
                    })}{' '}
                    <Badge tone={i.status === 'open' ? 'warn' : 'info'}>{t(`tax.status.${i.status}`)}</Badge>
                  </li>
                ))}
              </ol>
            </>
          )}
          <h3>{t('taxBills.working')}</h3>
          <ol className="working">
            {b.working.map((line) => (
              <li key={`${line.en}:${line.satang}`}>
                {lang === 'en' ? line.en : line.th} — {money(line.satang)}
              </li>
            ))}
          </ol>
          <p>
            {(b.status === 'open' || b.status === 'nothing_due') && (
              <a
                className="btn btn-secondary"
                href={`/api/tax/bills/${b.id}/notice.pdf`}
                data-testid="notice"
              >
                {t('tax.notice')}
              </a>
            )}
            {b.status === 'paid' && (
              <a
                className="btn btn-secondary"
                href={`/api/tax/bills/${b.id}/receipt.pdf`}
                data-testid="receipt"
              >
                {t('tax.receipt')}
              </a>
            )}
          </p>
        </>
      )}
    </Card>
  );
}
