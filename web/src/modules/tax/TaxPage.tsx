import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { useMe } from '../../session.ts';
import { Button } from '../../ui/Button.tsx';
import { Badge, EmptyState, ErrorState, Spinner } from '../../ui/States.tsx';
import { DeclarationForm, DeclarationQueue, MyDeclarations } from './Declaration.tsx';
import { ImportCard } from './ImportCard.tsx';
import { Reports } from './Reports.tsx';
import { StatementCard } from './StatementCard.tsx';

interface Bill {
  id: string;
  number: string;
  taxYear: number;
  taxKind: 'land-building' | 'sign';
  amountSatang: number;
  amountBaht: string;
  status: 'open' | 'nothing_due' | 'paid' | 'cancelled';
  dueDate: string;
  paidAt: string | null;
  working: { th: string; en: string; satang: number }[];
  monthsLate: number;
  surchargeSatang: number;
  penaltySatang: number;
  amountDueSatang: number;
  amountDueBaht: string;
  reminder: { sentOn: string; deadline: string } | null;
  instalmentsLapsed: boolean;
  /** The API's answer from the year's rule, the status and the due date (service.ts view). */
  instalmentsAllowed: boolean;
  instalmentCount: number | null;
  instalments: {
    seq: number;
    number: string;
    amountBaht: string;
    amountDueBaht: string;
    dueDate: string;
    status: 'open' | 'paid';
  }[];
}

const money = (satang: number, lang: string) =>
  (satang / 100).toLocaleString(lang === 'th' ? 'th-TH' : 'en-GB', { minimumFractionDigits: 2 });

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
        <ul>
          <li>
            <Link to="/tax/register">{t('tax.register.link')}</Link>
          </li>
          <li>
            <Link to="/tax/payments">{t('taxOffice.payments.link')}</Link>
          </li>
          <li>
            <Link to="/tax/arrears">{t('taxOffice.arrears.link')}</Link>
          </li>
        </ul>
      )}
      {finance && (
        <p>
          <Link to="/tax/rates">{t('tax.rates.link')}</Link>
        </p>
      )}
      {finance && (
        <p>
          <Link to="/tax/assessment">{t('taxAssess.link')}</Link> ·{' '}
          <Link to="/tax/bills">{t('taxBills.link')}</Link>
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
            {b.amountDueSatang !== b.amountSatang && <LateCharges bill={b} lang={i18n.language} />}
            {b.status === 'open' && b.reminder && (
              <p className="reminder" data-testid="reminder">
                {t('tax.reminder', {
                  sent: formatDate(`${b.reminder.sentOn}T00:00:00+07:00`, i18n.language, false),
                  deadline: formatDate(`${b.reminder.deadline}T00:00:00+07:00`, i18n.language, false),
                })}
              </p>
            )}
            {b.status === 'open' && b.instalmentsLapsed && <p>{t('tax.instalments.lapsed')}</p>}
            {b.instalmentsAllowed && (
              <Button variant="secondary" onClick={() => plan.mutate(b.id)} disabled={plan.isPending}>
                {t('tax.instalments.plan', { count: b.instalmentCount ?? 0 })}
              </Button>
            )}
            {b.instalments.length > 0 && (
              <ol className="instalments" aria-label={t('tax.instalments.title')}>
                {b.instalments.map((i) => (
                  <li key={i.number} data-testid="instalment">
                    {t('tax.instalments.item', {
                      seq: i.seq,
                      amount: i.status === 'open' ? i.amountDueBaht : i.amountBaht,
                      due: formatDate(`${i.dueDate}T00:00:00+07:00`, i18n.language, false),
                    })}{' '}
                    <Badge tone={i.status === 'open' ? 'warn' : 'info'}>{t(`tax.status.${i.status}`)}</Badge>
                    {i.status === 'open' && !b.instalmentsLapsed && (
                      <img
                        src={`/api/tax/bills/${b.id}/qr.png?instalment=${i.seq}`}
                        width={200}
                        height={200}
                        alt={t('tax.qrAlt', { amount: i.amountDueBaht, number: i.number })}
                      />
                    )}
                    {i.status === 'paid' && (
                      <a
                        href={`/api/tax/bills/${b.id}/instalments/${i.seq}/receipt.pdf`}
                        download={`receipt-${i.number}.pdf`}
                        data-testid="instalment-receipt"
                      >
                        {t('tax.instalments.receipt', { seq: i.seq })}
                      </a>
                    )}
                  </li>
                ))}
              </ol>
            )}
            {b.status === 'open' && (b.instalments.length === 0 || b.instalmentsLapsed) && (
              <figure className="qr">
                <img
                  src={`/api/tax/bills/${b.id}/qr.png`}
                  width={240}
                  height={240}
                  alt={t('tax.qrAlt', { amount: b.amountDueBaht, number: b.number })}
                />
                <figcaption>{t('tax.qrHint')}</figcaption>
              </figure>
            )}
            {(b.status === 'open' || b.status === 'nothing_due') && (
              <a
                className="btn btn-secondary"
                href={`/api/tax/bills/${b.id}/notice.pdf`}
                download={`bill-${b.number}.pdf`}
                data-testid="notice"
              >
                {t('tax.notice')}
              </a>
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

/** Tax, late charges and the total: due today for an open bill, paid with it for a paid one. */
function LateCharges({ bill, lang }: { bill: Bill; lang: string }) {
  const { t } = useTranslation();
  return (
    <div data-testid="late-charges">
      {bill.status === 'open' && (
        <p>{t('tax.late.note', { months: bill.monthsLate, count: bill.monthsLate })}</p>
      )}
      <dl className="late-charges">
        <dt>{t('tax.late.tax')}</dt>
        <dd>
          {money(bill.amountSatang, lang)} {t('tax.baht')}
        </dd>
        {bill.surchargeSatang > 0 && (
          <>
            <dt>{t('tax.late.surcharge')}</dt>
            <dd>
              {money(bill.surchargeSatang, lang)} {t('tax.baht')}
            </dd>
          </>
        )}
        {bill.penaltySatang > 0 && (
          <>
            <dt>{t('tax.late.penalty')}</dt>
            <dd>
              {money(bill.penaltySatang, lang)} {t('tax.baht')}
            </dd>
          </>
        )}
        <dt>{t(bill.status === 'open' ? 'tax.late.dueToday' : 'tax.late.paid')}</dt>
        <dd>
          <strong>{money(bill.amountDueSatang, lang)}</strong> {t('tax.baht')}
        </dd>
      </dl>
    </div>
  );
}
