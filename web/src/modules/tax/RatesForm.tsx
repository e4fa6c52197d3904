import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError } from '../../api.ts';
import { Button } from '../../ui/Button.tsx';
import { ErrorState } from '../../ui/States.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { fieldId, RatesSheet } from './RatesSheet.tsx';
import { type Draft, fromDraft, getAt, type RateYear, setAt } from './rate-draft.ts';

/**
 * Edits a year's rates (a copy, the defaults, or the year's own): a figure that is not a number is
 * refused here, the law's limits by the server (422), each beside its field and in a linked summary;
 * the first field in error takes the focus.
 */
export function RatesForm({
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
