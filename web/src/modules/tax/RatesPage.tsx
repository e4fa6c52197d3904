import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { useMe } from '../../session.ts';
import { Button } from '../../ui/Button.tsx';
import { EmptyState, ErrorState, Spinner } from '../../ui/States.tsx';
import { Select, TextField } from '../../ui/TextField.tsx';
import { RatesForm } from './RatesForm.tsx';
import { RatesSheet } from './RatesSheet.tsx';
import { type Draft, type RateRecord, type RateYear, type RateYearSummary, toDraft } from './rate-draft.ts';

/** The rates of each tax year: finance staff read them; an admin or the finance manager edits or copies them. */
export function RatesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const years = useQuery({
    queryKey: ['tax', 'rates'],
    queryFn: () => api<RateYearSummary[]>('GET', '/api/tax/rates'),
    enabled: !!me.data && me.data.kind === 'staff',
  });
  const [chosen, setChosen] = useState<number>();
  const [editing, setEditing] = useState<{ year: number; draft: Draft }>();
  const [saved, setSaved] = useState<number>();
  const year = chosen ?? years.data?.[0]?.taxYear;
  const record = useQuery({
    queryKey: ['tax', 'rates', year],
    queryFn: () => api<RateYear>('GET', `/api/tax/rates/${year}`),
    enabled: year !== undefined,
  });
  if (me.isPending) return <Spinner />;
  const d = me.data;
  const finance =
    d?.kind === 'staff' &&
    (d.role === 'admin' ||
      d.role === 'executive' ||
      ((d.role === 'officer' || d.role === 'office_manager') && d.officeCode === 'finance'));
  const canEdit = d?.role === 'admin' || (d?.role === 'office_manager' && d.officeCode === 'finance');
  return (
    <section>
      <p>
        <Link to="/tax">{t('tax.register.back')}</Link>
      </p>
      <h1>{t('tax.rates.title')}</h1>
      <p>{t('tax.rates.intro')}</p>
      {!finance ? (
        <EmptyState>{t('tax.register.financeOnly')}</EmptyState>
      ) : years.isPending ? (
        <Spinner />
      ) : years.isError ? (
        <ErrorState error={years.error} onRetry={() => years.refetch()} />
      ) : editing ? (
        <RatesForm
          year={editing.year}
          initial={editing.draft}
          isNew={!years.data.some((y) => y.taxYear === editing.year)}
          onDone={(savedYear) => {
            setEditing(undefined);
            if (savedYear !== undefined) {
              setChosen(savedYear);
              setSaved(savedYear);
            }
          }}
        />
      ) : years.data.length === 0 ? (
        <>
          <EmptyState>{t('tax.rates.none')}</EmptyState>
          {canEdit && <StartFromDefaults onOpen={(target, draft) => setEditing({ year: target, draft })} />}
        </>
      ) : (
        <>
          {saved !== undefined && <p role="status">{t('tax.rates.saved', { year: saved })}</p>}
          <Select
            label={t('tax.rates.year')}
            value={String(year)}
            onChange={(e) => {
              setChosen(Number(e.target.value));
              setSaved(undefined);
            }}
            options={years.data.map((y) => ({
              value: String(y.taxYear),
              label: t(y.bills > 0 ? 'tax.rates.yearFrozen' : 'tax.rates.yearOpen', { year: y.taxYear }),
            }))}
          />
          {record.isPending ? (
            <Spinner />
          ) : record.isError ? (
            <ErrorState error={record.error} />
          ) : (
            <YearView
              record={record.data}
              canEdit={canEdit}
              taken={years.data.map((y) => y.taxYear)}
              onEdit={(target) => {
                setSaved(undefined);
                setEditing({ year: target, draft: toDraft(record.data) });
              }}
            />
          )}
        </>
      )}
    </section>
  );
}

function YearView({
  record,
  canEdit,
  taken,
  onEdit,
}: {
  record: RateYear;
  canEdit: boolean;
  taken: number[];
  onEdit: (year: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const frozen = record.bills > 0;
  return (
    <>
      <h2>{t('tax.rates.yearHeading', { year: record.taxYear })}</h2>
      <p>
        {frozen
          ? t('tax.rates.frozen', { year: record.taxYear, bills: record.bills })
          : t('tax.rates.open', { year: record.taxYear })}
      </p>
      <p>
        {t('tax.rates.source')}: {record.source || '—'}
        <br />
        {t('tax.rates.updated', {
          at: formatDate(record.updatedAt, i18n.language),
          by: record.updatedBy ?? '—',
        })}
      </p>
      {canEdit && !frozen && <Button onClick={() => onEdit(record.taxYear)}>{t('tax.rates.edit')}</Button>}
      {canEdit && (
        <NewYearForm
          label={t('tax.rates.copyForm')}
          button={t('tax.rates.copy', { year: record.taxYear })}
          taken={taken}
          onOpen={onEdit}
        />
      )}
      <RatesSheet draft={toDraft(record)} />
    </>
  );
}

/** Asks for a new tax year (B.E.) and opens the form for it. */
function NewYearForm({
  label,
  button,
  taken,
  onOpen,
}: {
  label: string;
  button: string;
  taken: number[];
  onOpen: (year: number) => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  return (
    <form
      className="inline-form"
      aria-label={label}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const n = Number(text.trim());
        if (!/^\d{4}$/.test(text.trim()) || n < 2560 || n > 2700) setError(t('tax.rates.errors.year'));
        else if (taken.includes(n)) setError(t('tax.rates.errors.yearTaken', { year: n }));
        else onOpen(n);
      }}
    >
      <TextField
        label={t('tax.rates.newYear')}
        hint={t('tax.rates.newYearHint')}
        inputMode="numeric"
        value={text}
        error={error}
        onChange={(e) => {
          setText(e.target.value);
          setError(undefined);
        }}
      />
      <Button type="submit" variant="secondary">
        {button}
      </Button>
    </form>
  );
}

/** With no year yet, a year starts from the Royal Decree's and Ministerial Regulation's rates. */
function StartFromDefaults({ onOpen }: { onOpen: (year: number, draft: Draft) => void }) {
  const { t } = useTranslation();
  const defaults = useQuery({
    queryKey: ['tax', 'rates', 'defaults'],
    queryFn: () => api<RateRecord>('GET', '/api/tax/rates/defaults'),
  });
  if (defaults.isPending) return <Spinner />;
  if (defaults.isError) return <ErrorState error={defaults.error} />;
  return (
    <NewYearForm
      label={t('tax.rates.defaultsForm')}
      button={t('tax.rates.fromDefaults')}
      taken={[]}
      onOpen={(year) => onOpen(year, toDraft(defaults.data))}
    />
  );
}
