import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { useMe } from '../../session.ts';
import { Button } from '../../ui/Button.tsx';
import { EmptyState, ErrorState, Spinner } from '../../ui/States.tsx';
import { Select, TextField } from '../../ui/TextField.tsx';
import { fieldId, RatesSheet } from './RatesSheet.tsx';
import {
  type Draft,
  fromDraft,
  getAt,
  type RateYear,
  type RateYearSummary,
  setAt,
  toDraft,
} from './rate-draft.ts';

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
        <EmptyState>{t('tax.rates.none')}</EmptyState>
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
  const [copyTo, setCopyTo] = useState('');
  const [copyError, setCopyError] = useState<string>();
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
        <form
          className="inline-form"
          aria-label={t('tax.rates.copyForm')}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const n = Number(copyTo.trim());
            if (!/^\d{4}$/.test(copyTo.trim()) || n < 2560 || n > 2700)
              setCopyError(t('tax.rates.errors.year'));
            else if (taken.includes(n)) setCopyError(t('tax.rates.errors.yearTaken', { year: n }));
            else onEdit(n);
          }}
        >
          <TextField
            label={t('tax.rates.newYear')}
            hint={t('tax.rates.newYearHint')}
            inputMode="numeric"
            value={copyTo}
            error={copyError}
            onChange={(e) => {
              setCopyTo(e.target.value);
              setCopyError(undefined);
            }}
          />
          <Button type="submit" variant="secondary">
            {t('tax.rates.copy', { year: record.taxYear })}
          </Button>
        </form>
      )}
      <RatesSheet draft={toDraft(record)} />
    </>
  );
}

function RatesForm({
  year,
  initial,
  isNew,
  onDone,
}: {
  year: number;
  initial: Draft;
  isNew: boolean;
  onDone: (saved?: number) => void;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [draft, setDraft] = useState(initial);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [server, setServer] = useState<Record<string, string>>({});
  const [tried, setTried] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  const save = useMutation({
    mutationFn: (body: unknown) => api<RateYear>('PUT', `/api/tax/rates/${year}`, body),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['tax', 'rates'] });
      onDone(year);
    },
    onError: (error) => {
      const fields = error instanceof ProblemError ? (error.problem.errors ?? []) : [];
      setServer(Object.fromEntries(fields.map((e) => [e.path, e.message])));
      setTried((n) => n + 1);
    },
  });
  useEffect(() => heading.current?.focus(), []);
  // After a refused save, the keyboard goes to the first field in error (the summary is announced).
  useEffect(() => {
    if (tried) document.querySelector<HTMLElement>('.rates-form [aria-invalid="true"]')?.focus();
  }, [tried]);
  const errors: Record<string, string> = { ...server };
  for (const [path, key] of Object.entries(local)) errors[path] = t(key);
  const listed = Object.entries(errors);
  const bands = (table: string) => `/landBuilding/${table}`;
  return (
    <form
      className="rates-form"
      noValidate
      aria-labelledby="rates-form-heading"
      onSubmit={(e) => {
        e.preventDefault();
        const { record, errors: found } = fromDraft(draft);
        setLocal(found);
        setServer({});
        if (record) save.mutate(record);
        else setTried((n) => n + 1);
      }}
    >
      <h2 id="rates-form-heading" ref={heading} tabIndex={-1}>
        {t(isNew ? 'tax.rates.newHeading' : 'tax.rates.editHeading', { year })}
      </h2>
      {listed.length > 0 && (
        <div className="error-state" role="alert">
          <p className="error-title">{t('tax.rates.errorsTitle', { count: listed.length })}</p>
          <ul>
            {listed.map(([path, message]) => (
              <li key={path}>
                <a href={`#${fieldId(path)}`}>{message}</a> <code>{path}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {save.isError && listed.length === 0 && <ErrorState error={save.error} />}
      <TextField
        id={fieldId('/source')}
        label={t('tax.rates.source')}
        hint={t('tax.rates.sourceHint')}
        value={String(getAt(draft, '/source'))}
        error={errors['/source']}
        maxLength={1000}
        onChange={(e) => {
          setDraft(setAt(draft, '/source', e.target.value));
          setServer(({ '/source': _, ...rest }) => rest);
        }}
      />
      <RatesSheet
        draft={draft}
        edit={{
          errors,
          onChange: (path, value) => {
            setDraft(setAt(draft, path, value));
            setLocal(({ [path]: _, ...rest }) => rest);
            setServer(({ [path]: _, ...rest }) => rest);
          },
          onAddBand: (table) => {
            const list = getAt(draft, bands(table)) as Draft[];
            setDraft(setAt(draft, bands(table), [...list, { fromBaht: '', ratePercent: '' }]));
          },
          onRemoveBand: (table, index) => {
            const list = getAt(draft, bands(table)) as Draft[];
            setDraft(
              setAt(
                draft,
                bands(table),
                list.filter((_, i) => i !== index),
              ),
            );
            // The rows after it move up, so errors named by position no longer fit.
            setLocal({});
            setServer({});
          },
        }}
      />
      <div className="inline-form">
        <Button type="submit" disabled={save.isPending}>
          {t('tax.rates.save', { year })}
        </Button>
        <Button variant="secondary" onClick={() => onDone()}>
          {t('tax.rates.cancel')}
        </Button>
      </div>
    </form>
  );
}
