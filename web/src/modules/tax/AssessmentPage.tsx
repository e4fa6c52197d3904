import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError } from '../../api.ts';
import { useMe } from '../../session.ts';
import { Button } from '../../ui/Button.tsx';
import { Card, EmptyState, ErrorState, Spinner } from '../../ui/States.tsx';
import { Table } from '../../ui/Table.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { financeAccess } from './finance-access.ts';
import { unvaluedReason } from './unvalued-reason.ts';

interface Result {
  year: number;
  parcels: number;
  signs: number;
  billsIssued: number;
  unvalued: number;
  unvaluedParcels: { parcelId: string; reason: string }[];
}

/** This year in the Buddhist Era, in Thailand. */
const thisYear = () =>
  Number(new Date().toLocaleDateString('en-GB', { timeZone: 'Asia/Bangkok', year: 'numeric' })) + 543;
const validYear = (text: string) => /^\d{4}$/.test(text) && Number(text) >= 2560 && Number(text) <= 2700;

/**
 * Runs a tax year's assessment: every parcel and sign is assessed with the year's rates and the bills
 * not issued yet are issued (assessment-run.ts). Finance staff who keep the register run it (the API's
 * `revenue` access); executives see the page and are told who can.
 */
export function AssessmentPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { reads, keeps } = financeAccess(me.data);
  const [text, setText] = useState(String(thisYear()));
  const year = validYear(text.trim()) ? Number(text.trim()) : undefined;
  const rates = useQuery({
    queryKey: ['tax', 'rates', year],
    queryFn: () => api<{ taxYear: number; bills: number }>('GET', `/api/tax/rates/${year}`),
    enabled: reads && year !== undefined,
    retry: false,
  });
  if (me.isPending) return <Spinner />;
  const missing = rates.error instanceof ProblemError && rates.error.problem.code === 'tax.rates_missing';
  return (
    <section>
      <p>
        <Link to="/tax">{t('taxOffice.back')}</Link>
      </p>
      <h1>{t('taxAssess.title')}</h1>
      {!reads ? (
        <EmptyState>{t('taxOffice.financeOnly')}</EmptyState>
      ) : (
        <>
          <p>{t('taxAssess.lead')}</p>
          <TextField
            label={t('taxAssess.year')}
            hint={t('taxAssess.yearHint')}
            inputMode="numeric"
            value={text}
            error={year === undefined ? t('tax.rates.errors.year') : undefined}
            onChange={(e) => setText(e.target.value)}
          />
          {year !== undefined &&
            (rates.isPending ? (
              <Spinner />
            ) : missing ? (
              <p data-testid="rates-missing">
                {t('taxAssess.noRates', { year })} <Link to="/tax/rates">{t('taxAssess.setRates')}</Link>
              </p>
            ) : rates.isError ? (
              <ErrorState error={rates.error} onRetry={() => rates.refetch()} />
            ) : (
              <>
                <p data-testid="rates-state">
                  {t('taxAssess.hasRates', { year })}{' '}
                  {t('taxAssess.billsSoFar', { count: rates.data.bills, year })}
                </p>
                {keeps ? <RunAssessment key={year} year={year} /> : <p>{t('taxAssess.whoRuns')}</p>}
              </>
            ))}
        </>
      )}
    </section>
  );
}

/** The run button, its confirmation dialog, and what the run did or why it was refused. */
function RunAssessment({ year }: { year: number }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const run = useMutation({
    mutationFn: () => api<Result>('POST', `/api/tax/assessments/${year}`),
    onSettled: () => {
      dialog.current?.close();
      client.invalidateQueries({ queryKey: ['tax'] });
    },
  });
  return (
    <>
      <Button onClick={() => dialog.current?.showModal()} disabled={run.isPending}>
        {t('taxAssess.run', { year })}
      </Button>
      <dialog
        ref={dialog}
        className="confirm-dialog"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-text`}
      >
        <h2 id={`${id}-title`}>{t('taxAssess.confirmTitle', { year })}</h2>
        <p id={`${id}-text`}>{t('taxAssess.confirmText', { year })}</p>
        <div className="actions">
          {/* The safe choice comes first and takes the focus when the dialog opens. */}
          <Button variant="secondary" autoFocus onClick={() => dialog.current?.close()}>
            {t('taxAssess.cancel')}
          </Button>
          <Button disabled={run.isPending} onClick={() => run.mutate()}>
            {t('taxAssess.confirm', { year })}
          </Button>
        </div>
      </dialog>
      {run.isPending && <Spinner />}
      {run.isError && <ErrorState error={run.error} />}
      {run.data && <Outcome result={run.data} />}
    </>
  );
}

function Outcome({ result }: { result: Result }) {
  const { t, i18n } = useTranslation();
  const n = (x: number) => x.toLocaleString(i18n.language === 'th' ? 'th-TH' : 'en-GB');
  return (
    <Card data-testid="assessment-result">
      <h2>{t('taxAssess.done', { year: result.year })}</h2>
      <p role="status">
        {result.billsIssued === 0
          ? t('taxAssess.noneIssued', { year: result.year })
          : t('taxAssess.issued', { count: result.billsIssued, year: result.year })}
      </p>
      <dl className="totals">
        <dt>{t('taxAssess.parcels')}</dt>
        <dd>{n(result.parcels)}</dd>
        <dt>{t('taxAssess.signs')}</dt>
        <dd>{n(result.signs)}</dd>
        <dt>{t('taxAssess.billsIssued')}</dt>
        <dd>{n(result.billsIssued)}</dd>
        <dt>{t('taxAssess.unvalued')}</dt>
        <dd>{n(result.unvalued)}</dd>
      </dl>
      <p>
        <Link to="/tax/bills" search={{ year: result.year }}>
          {t('taxAssess.seeBills', { year: result.year })}
        </Link>
      </p>
      {result.unvalued > 0 && (
        <>
          <p>
            {t('taxAssess.unvaluedLead', { shown: result.unvaluedParcels.length, total: result.unvalued })}
          </p>
          <Table
            caption={t('taxAssess.unvaluedCaption', { year: result.year })}
            rows={result.unvaluedParcels}
            rowKey={(p) => p.parcelId}
            columns={[
              { key: 'parcel', header: t('taxAssess.parcel'), cell: (p) => <code>{p.parcelId}</code> },
              { key: 'reason', header: t('taxAssess.reason'), cell: (p) => unvaluedReason(p.reason, t) },
            ]}
          />
        </>
      )}
    </Card>
  );
}
