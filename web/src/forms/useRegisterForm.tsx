import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../ui/Button.tsx';
import { ErrorState } from '../ui/States.tsx';
import { useFocusOnOpen } from '../ui/useFocusOnOpen.ts';
import { fieldMessage } from './field-error.ts';
import type { Checked, Errors } from './register-places.ts';

type Field<V> = Extract<keyof V, string>;

/**
 * What every staff register form (energy buildings and installations, flood stations and shelters)
 * does the same way: values as typed, the form's own check before sending, then the API's answer,
 * each field's message from either, and the heading focused when the form opens.
 */
export function useRegisterForm<V extends object, B, R>(opts: {
  initial: () => V;
  check: (values: V) => Checked<B, Field<V>>;
  send: (body: B) => Promise<R>;
  saved: (result: R) => void;
}) {
  const { t } = useTranslation();
  const heading = useFocusOnOpen<HTMLHeadingElement>();
  const headingId = useId();
  const [values, setValues] = useState<V>(opts.initial);
  const [errors, setErrors] = useState<Errors<Field<V>>>({});
  const save = useMutation({ mutationFn: opts.send, onSuccess: opts.saved });
  const set = (k: Field<V>) => (e: { target: { value: string } }) =>
    setValues((x) => ({ ...x, [k]: e.target.value }));
  const err = (field: Field<V>, path?: string) => fieldMessage(t, errors, save.error, field, path);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const checked = opts.check(values);
    if ('errors' in checked) return setErrors(checked.errors);
    setErrors({});
    save.mutate(checked.body);
  };
  const form = { noValidate: true, 'aria-labelledby': headingId, onSubmit };
  const title = { id: headingId, ref: heading, tabIndex: -1 };
  return { values, setValues, set, err, save, form, title };
}

/** The API's error, if the last save failed, then Save (or Add) and Cancel. */
export function RegisterActions({
  editing,
  save,
  onCancel,
}: {
  editing: boolean;
  save: { isError: boolean; isPending: boolean; error: unknown };
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      {save.isError && <ErrorState error={save.error} />}
      <div className="actions">
        <Button type="submit" disabled={save.isPending}>
          {editing ? t('register.save') : t('register.add')}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('register.cancel')}
        </Button>
      </div>
    </>
  );
}
