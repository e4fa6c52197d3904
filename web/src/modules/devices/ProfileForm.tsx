import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError } from '../../api.ts';
import { Button } from '../../ui/Button.tsx';
import { Card, ErrorState } from '../../ui/States.tsx';
import { Select, TextField } from '../../ui/TextField.tsx';
import { useToast } from '../../ui/Toast.tsx';
import {
  type ByteRow,
  checkProfile,
  type DecoderKind,
  emptyByteRow,
  emptyProfile,
  fromProfile,
  type ProfileFormValues,
  profileBody,
} from './profileForm.ts';
import { useProfiles } from './shared.tsx';

/** An input in a table row: labelled for screen readers, its error beside it and announced. */
function Cell({
  label,
  error,
  ...input
}: { label: string; error?: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <>
      <input
        aria-label={label}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? id : undefined}
        {...input}
      />
      {error && (
        <p id={id} className="field-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

/** Device profiles for admins and office managers: pick one to change or delete, or add a new one. */
export function ProfileEditor() {
  const { t } = useTranslation();
  const profiles = useProfiles();
  const [chosen, setChosen] = useState('');
  const profile = profiles.data?.find((p) => p.id === chosen);
  return (
    <Card>
      <h2>{t('devices.profileForm.title')}</h2>
      <Select
        label={t('devices.profileForm.pick')}
        value={chosen}
        onChange={(e) => setChosen(e.target.value)}
        data-testid="profile-pick"
        options={[
          { value: '', label: t('devices.profileForm.new') },
          ...(profiles.data ?? []).map((p) => ({ value: p.id, label: p.name })),
        ]}
      />
      <ProfileForm
        key={chosen || 'new'}
        id={profile?.id}
        initial={
          profile ? fromProfile(profile as unknown as Parameters<typeof fromProfile>[0]) : emptyProfile
        }
        onDone={(id) => setChosen(id ?? '')}
      />
    </Card>
  );
}

function ProfileForm({
  id,
  initial,
  onDone,
}: {
  id?: string;
  initial: ProfileFormValues;
  onDone: (id?: string) => void;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [v, setV] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const err = (k: string) => (errors[k] ? t(errors[k]) : undefined);
  const row = (n: number) => t('devices.profileForm.rowN', { n: n + 1 });
  const update = <K extends 'json' | 'bytes' | 'quantities'>(
    list: K,
    i: number,
    patch: Partial<ProfileFormValues[K][number]>,
  ) => setV((x) => ({ ...x, [list]: x[list].map((r, j) => (j === i ? { ...r, ...patch } : r)) }));
  const removeRow = (list: 'json' | 'bytes' | 'quantities', i: number) =>
    setV((x) => ({ ...x, [list]: x[list].filter((_, j) => j !== i) }));

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setFailure(null);
    const found = checkProfile(v);
    setErrors(found);
    if (Object.keys(found).length) return;
    try {
      const saved = id
        ? await api<{ id: string; name: string }>('PATCH', `/api/device-profiles/${id}`, profileBody(v))
        : await api<{ id: string; name: string }>('POST', '/api/device-profiles', profileBody(v));
      await queryClient.invalidateQueries({ queryKey: ['device-profiles'] });
      toast(t('devices.form.saved', { name: saved.name }));
      onDone(saved.id);
    } catch (x) {
      if (x instanceof ProblemError && x.problem.code === 'resource.conflict')
        setErrors({ name: 'devices.profileForm.nameTaken' });
      else setFailure(x);
    }
  }

  async function remove() {
    if (!id || !window.confirm(t('devices.profileForm.confirmDelete', { name: v.name }))) return;
    try {
      await api('DELETE', `/api/device-profiles/${id}`);
      await queryClient.invalidateQueries({ queryKey: ['device-profiles'] });
      toast(t('devices.form.deleted', { name: v.name }));
      onDone();
    } catch (x) {
      setFailure(x);
    }
  }

  return (
    <form onSubmit={submit} noValidate data-testid="profile-form">
      <TextField
        label={t('devices.profileForm.name')}
        value={v.name}
        onChange={(e) => setV({ ...v, name: e.currentTarget.value })}
        error={err('name')}
      />
      <Select
        label={t('devices.profileForm.kind')}
        value={v.kind}
        onChange={(e) => setV({ ...v, kind: e.target.value as DecoderKind })}
        options={(['cayenne-lpp', 'json', 'bytes'] as const).map((k) => ({
          value: k,
          label: t(`devices.profileForm.kind_${k}`),
        }))}
      />
      {v.kind === 'json' && (
        <fieldset>
          <legend>{t('devices.profileForm.jsonPaths')}</legend>
          <p className="hint">{t('devices.profileForm.jsonHint')}</p>
          {v.json.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own; they are edited in place
            <div className="inline-form" key={i}>
              <Cell
                label={`${t('devices.profileForm.field')}, ${row(i)}`}
                value={r.field}
                onChange={(e) => update('json', i, { field: e.currentTarget.value })}
                error={err(`json.${i}.field`)}
              />
              <Cell
                label={`${t('devices.profileForm.path')}, ${row(i)}`}
                value={r.path}
                onChange={(e) => update('json', i, { path: e.currentTarget.value })}
                error={err(`json.${i}.path`)}
              />
              <Cell
                label={`${t('devices.profileForm.unit')}, ${row(i)}`}
                value={r.unit}
                onChange={(e) => update('json', i, { unit: e.currentTarget.value })}
                error={err(`json.${i}.unit`)}
              />
              <Button variant="secondary" onClick={() => removeRow('json', i)}>
                {t('devices.profileForm.removeRow', { n: i + 1 })}
              </Button>
            </div>
          ))}
          <Button
            variant="secondary"
            onClick={() => setV({ ...v, json: [...v.json, { field: '', path: '', unit: '' }] })}
          >
            {t('devices.profileForm.addRow')}
          </Button>
        </fieldset>
      )}
      {v.kind === 'bytes' && (
        <fieldset>
          <legend>{t('devices.profileForm.layout')}</legend>
          {errors.bytes && (
            <p className="field-error" role="alert">
              {t(errors.bytes)}
            </p>
          )}
          {v.bytes.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own; they are edited in place
            <div className="inline-form" key={i}>
              {(['field', 'offset', 'length', 'scale', 'unit'] as const).map((k) => (
                <Cell
                  key={k}
                  label={`${t(`devices.profileForm.${k}`)}, ${row(i)}`}
                  value={r[k]}
                  inputMode={k === 'field' || k === 'unit' ? undefined : 'decimal'}
                  onChange={(e) => update('bytes', i, { [k]: e.currentTarget.value } as Partial<ByteRow>)}
                  error={err(`bytes.${i}.${k}`)}
                />
              ))}
              <label>
                <input
                  type="checkbox"
                  checked={r.signed}
                  onChange={(e) => update('bytes', i, { signed: e.currentTarget.checked })}
                />{' '}
                {t('devices.profileForm.signed')}
              </label>
              <select
                aria-label={`${t('devices.profileForm.endianness')}, ${row(i)}`}
                value={r.endianness}
                onChange={(e) =>
                  update('bytes', i, { endianness: e.currentTarget.value as 'big' | 'little' })
                }
              >
                <option value="big">{t('devices.profileForm.big')}</option>
                <option value="little">{t('devices.profileForm.little')}</option>
              </select>
              <Button variant="secondary" onClick={() => removeRow('bytes', i)}>
                {t('devices.profileForm.removeRow', { n: i + 1 })}
              </Button>
            </div>
          ))}
          <Button
            variant="secondary"
            onClick={() => setV({ ...v, bytes: [...v.bytes, { ...emptyByteRow }] })}
          >
            {t('devices.profileForm.addRow')}
          </Button>
        </fieldset>
      )}
      <fieldset>
        <legend>{t('devices.profileForm.quantities')}</legend>
        <p className="hint">{t('devices.profileForm.quantitiesHint')}</p>
        {v.quantities.map((r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own; they are edited in place
          <div className="inline-form" key={i}>
            {(['field', 'quantity', 'unit'] as const).map((k) => (
              <Cell
                key={k}
                label={`${t(`devices.profileForm.${k}`)}, ${row(i)}`}
                value={r[k]}
                onChange={(e) => update('quantities', i, { [k]: e.currentTarget.value })}
                error={err(`quantities.${i}.${k}`)}
              />
            ))}
            <Button variant="secondary" onClick={() => removeRow('quantities', i)}>
              {t('devices.profileForm.removeRow', { n: i + 1 })}
            </Button>
          </div>
        ))}
        <Button
          variant="secondary"
          onClick={() => setV({ ...v, quantities: [...v.quantities, { field: '', quantity: '', unit: '' }] })}
        >
          {t('devices.profileForm.addRow')}
        </Button>
      </fieldset>
      <TextField
        label={t('devices.profileForm.entityType')}
        hint={t('devices.profileForm.entityHint')}
        value={v.entityType}
        onChange={(e) => setV({ ...v, entityType: e.currentTarget.value })}
        error={err('entityType')}
      />
      {failure !== null && <ErrorState error={failure} />}
      <div className="actions">
        <Button type="submit">{t(id ? 'devices.form.save' : 'devices.profileForm.add')}</Button>
        {id && (
          <Button variant="danger" onClick={remove}>
            {t('devices.profileForm.delete')}
          </Button>
        )}
      </div>
    </form>
  );
}
