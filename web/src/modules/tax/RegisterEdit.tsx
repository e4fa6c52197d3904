import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Fragment, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError, problemTitle } from '../../api.ts';
import { type EditErrors, type EditResult, fieldOf, type Values } from '../../forms/register-edit.ts';
import { Button } from '../../ui/Button.tsx';
import { Select, TextArea, TextField } from '../../ui/TextField.tsx';

export interface EditField {
  name: string;
  label: string;
  hint?: string;
  options?: { value: string; label: string }[];
  inputMode?: 'numeric' | 'decimal' | 'text';
  /** Several lines (a GeoJSON outline). */
  multiline?: boolean;
  /** A button after the field that reshapes the form (e.g. removes a use row). */
  action?: FormAction;
}

/** Changes the form's rows (adds or removes one); the editor is told and taken to `focus`. */
export interface FormAction {
  label: string;
  apply: (values: Values) => Values;
  /** The field to focus after the change, by name. */
  focus: (values: Values) => string;
  /** What is announced once the change is made. */
  announce: string;
  hidden?: (values: Values) => boolean;
}

/**
 * A correction form for one register record: checked as typed when sent, each mistake shown beside its
 * field and announced; an edit made from a stale copy says so and offers to load the current one.
 */
export function RegisterEdit({
  title,
  url,
  fields: fieldsOf,
  actions = [],
  initial,
  check,
  queryKey,
  onDone,
  method = 'PATCH',
  submitLabel,
}: {
  title: string;
  url: string;
  /** PATCH corrects a record (the body names its version); POST registers a new one. */
  method?: 'PATCH' | 'POST';
  submitLabel?: string;
  /** The fields, which may depend on the values (a parcel's use rows). */
  fields: EditField[] | ((values: Values) => EditField[]);
  /** Buttons before "save" that add rows. */
  actions?: FormAction[];
  initial: Values;
  check: (values: Values) => EditResult;
  queryKey: unknown[];
  /** Called with what the server answered once saved; without it on cancel or reload. */
  onDone: (saved?: { id: string }) => void;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [values, setValues] = useState<Values>(initial);
  // The record as it was when the form opened: a refetch while it is open must not move the version
  // (and the changed fields) under the user, or their save would silently overwrite another's edit.
  const [checkAsOpened] = useState(() => check);
  const [local, setLocal] = useState<EditErrors>({});
  const [note, setNote] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const titleId = useId();
  const fields = typeof fieldsOf === 'function' ? fieldsOf(values) : fieldsOf;
  // After a row is added or removed, focus goes where the editor continues (the button may be gone).
  const [focusNext, setFocusNext] = useState<string | null>(null);
  useEffect(() => {
    if (!focusNext) return;
    formRef.current?.querySelector<HTMLElement>(`[name="${focusNext}"]`)?.focus();
    setFocusNext(null);
  }, [focusNext]);
  function reshape(a: FormAction) {
    const next = a.apply(values);
    setValues(next);
    // Errors are by field name, and the names of the rows after a removed one have moved.
    setLocal({});
    save.reset();
    setNote(a.announce);
    setFocusNext(a.focus(next));
  }
  const actionButton = (a: FormAction) =>
    a.hidden?.(values) ? null : (
      <Button key={a.label} type="button" variant="secondary" onClick={() => reshape(a)}>
        {a.label}
      </Button>
    );
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<{ id: string; version?: number }>(method, url, body),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: ['tax', 'register'] });
      onDone(saved);
    },
  });
  const problem = save.error instanceof ProblemError ? save.error.problem : null;
  // A field the server refused (e.g. an ID another owner has) gets the focus, like a local mistake;
  // only when an answer comes back, not as the fields change while the user types.
  // biome-ignore lint/correctness/useExhaustiveDependencies: fields change as the user types
  useEffect(() => {
    const named = problem?.errors?.map((e) => fieldOf(e.path)) ?? [];
    const first = fields.find((f) => named.includes(f.name));
    if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first.name}"]`)?.focus();
  }, [problem]);
  const stale = problem?.status === 409 && problem.code === 'tax.edit_stale';
  const serverErrors: EditErrors = {};
  for (const e of problem?.errors ?? []) serverErrors[fieldOf(e.path)] = e.message;
  const errorOf = (name: string) => (local[name] ? t(local[name]) : serverErrors[name]);

  const field = (f: EditField) =>
    f.options ? (
      <Select
        name={f.name}
        label={f.label}
        options={f.options}
        value={values[f.name] ?? ''}
        error={errorOf(f.name)}
        onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
      />
    ) : f.multiline ? (
      <TextArea
        name={f.name}
        label={f.label}
        hint={f.hint}
        rows={4}
        spellCheck={false}
        value={values[f.name] ?? ''}
        error={errorOf(f.name)}
        onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
      />
    ) : (
      <TextField
        name={f.name}
        label={f.label}
        hint={f.hint}
        inputMode={f.inputMode}
        value={values[f.name] ?? ''}
        error={errorOf(f.name)}
        onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
      />
    );

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNote(null);
    save.reset();
    const result = checkAsOpened(values);
    if ('errors' in result) {
      setLocal(result.errors);
      // Take the editor to the first mistake; its message is announced with it.
      const first = fields.find((f) => result.errors[f.name]);
      if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first.name}"]`)?.focus();
      return;
    }
    setLocal({});
    if ('unchanged' in result) {
      setNote(t('tax.edit.unchanged'));
      return;
    }
    save.mutate(result.patch);
  }

  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-labelledby={titleId} data-testid="register-edit">
      <h3 id={titleId}>{title}</h3>
      {fields.map((f) => (
        <Fragment key={f.name}>
          {field(f)}
          {f.action && actionButton(f.action)}
        </Fragment>
      ))}
      {actions.map(actionButton)}
      {note && <p role="status">{note}</p>}
      {stale ? (
        <div role="alert">
          <p>{t('tax.edit.stale')}</p>
          <Button
            type="button"
            onClick={() => {
              void client.invalidateQueries({ queryKey });
              onDone();
            }}
          >
            {t('tax.edit.reload')}
          </Button>
        </div>
      ) : (
        problem && (
          // The title says what is wrong; the fields the server named show their own messages.
          <p className="field-error" role="alert">
            {problemTitle(problem, t)}
          </p>
        )
      )}
      <Button type="submit" disabled={save.isPending}>
        {save.isPending ? t('tax.edit.saving') : (submitLabel ?? t('tax.edit.save'))}
      </Button>{' '}
      <Button type="button" onClick={() => onDone()}>
        {t('tax.edit.cancel')}
      </Button>
    </form>
  );
}
