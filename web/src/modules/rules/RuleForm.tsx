import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError } from '../../api.ts';
import {
  categories,
  certainties,
  checkRule,
  type RuleForm as Form,
  formKinds,
  type Rule,
  type RuleErrors,
  scopeKinds,
  severities,
  urgencies,
} from '../../forms/rule.ts';
import { Button } from '../../ui/Button.tsx';
import { ErrorState } from '../../ui/States.tsx';
import { Checkbox, Select, TextField } from '../../ui/TextField.tsx';
import { Backtest } from './Backtest.tsx';

/** Inputs are named after the body's paths, so an error by path finds its input to focus. */
const inputName = (path: string) => path.slice(1).replaceAll('/', '.');

function Area({
  label,
  name,
  value,
  error,
  onChange,
}: {
  label: string;
  name: string;
  value: string;
  error?: string;
  onChange: (v: string) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        rows={2}
        maxLength={2000}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** Create or edit a rule; errors beside their fields (announced), a backtest of what is typed. */
export function RuleForm({
  rule,
  initial,
  canSave,
  onDone,
}: {
  rule: Rule | null;
  /** Officers may try a rule out (backtest) but not save it. */
  canSave: boolean;
  initial: Form;
  onDone: (saved: boolean) => void;
}) {
  const { t } = useTranslation();
  const [f, setF] = useState<Form>(initial);
  const [errors, setErrors] = useState<RuleErrors>({});
  const formRef = useRef<HTMLFormElement>(null);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setF((x) => ({ ...x, [k]: v }));
  const devices = useQuery({
    queryKey: ['devices', 'all'],
    queryFn: () => api<{ id: string; name: string }[]>('GET', '/api/devices?limit=1000'),
  });
  const profiles = useQuery({
    queryKey: ['device-profiles'],
    queryFn: () => api<{ id: string; name: string }[]>('GET', '/api/device-profiles'),
  });
  const focusFirst = (errs: RuleErrors) => {
    const first = Object.keys(errs)[0];
    if (first) formRef.current?.querySelector<HTMLElement>(`[name="${inputName(first)}"]`)?.focus();
  };
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      rule ? api<Rule>('PUT', `/api/rules/${rule.id}`, body) : api<Rule>('POST', '/api/rules', body),
    onSuccess: () => onDone(true),
    onError: (err) => {
      if (!(err instanceof ProblemError)) return;
      const byPath: RuleErrors = {};
      for (const e of err.problem.errors ?? []) byPath[e.path] = e.message;
      if (err.problem.code === 'rules.bad_hysteresis') byPath['/params/clearAt'] = err.problem.title;
      setErrors(byPath);
      focusFirst(byPath);
    },
  });
  const checked = checkRule(f);
  const err = (path: string) => {
    const e = errors[path];
    return e ? (e.startsWith('rules.form.') ? t(e) : e) : undefined;
  };
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if ('errors' in checked) {
      setErrors(checked.errors);
      focusFirst(checked.errors);
      return;
    }
    setErrors({});
    save.mutate(checked.body);
  };
  const opts = (values: readonly string[], prefix: string) =>
    values.map((v) => ({ value: v, label: t(`${prefix}.${v}`) }));
  const num = (path: string, key: keyof Form, label: string, hint?: string) => (
    <TextField
      label={label}
      hint={hint}
      name={inputName(path)}
      inputMode="decimal"
      value={f[key] as string}
      error={err(path)}
      onChange={(e) => set(key, e.target.value as never)}
    />
  );

  return (
    <form
      ref={formRef}
      noValidate
      onSubmit={submit}
      aria-labelledby="rule-form-title"
      data-testid="rule-form"
    >
      <h2 id="rule-form-title">{rule ? t('rules.edit') : t('rules.create')}</h2>
      {rule?.managedBy && (
        <p className="hint" role="note">
          {t('rules.managedNote')}
        </p>
      )}
      <TextField
        label={t('rules.nameTh')}
        name="name.th"
        value={f.nameTh}
        maxLength={200}
        error={err('/name/th')}
        onChange={(e) => set('nameTh', e.target.value)}
      />
      <TextField
        label={t('rules.nameEn')}
        name="name.en"
        value={f.nameEn}
        maxLength={200}
        error={err('/name/en')}
        onChange={(e) => set('nameEn', e.target.value)}
      />
      <Checkbox
        label={t('rules.enabled')}
        checked={f.enabled}
        onChange={(e) => set('enabled', e.target.checked)}
      />
      <Select
        label={t('rules.scopeKind')}
        name="scopeKind"
        value={f.scopeKind}
        options={opts(scopeKinds, 'rules.scopes')}
        onChange={(e) =>
          setF((x) => ({ ...x, scopeKind: e.target.value as Form['scopeKind'], scopeRef: '' }))
        }
      />
      {f.scopeKind === 'device' || f.scopeKind === 'profile' ? (
        <Select
          label={t(f.scopeKind === 'device' ? 'rules.device' : 'rules.profile')}
          name="scope"
          value={f.scopeRef}
          error={err('/scope')}
          options={[
            { value: '', label: t('rules.choose') },
            ...((f.scopeKind === 'device' ? devices.data : profiles.data) ?? []).map((d) => ({
              value: d.id,
              label: d.name,
            })),
          ]}
          onChange={(e) => set('scopeRef', e.target.value)}
        />
      ) : f.scopeKind === 'zone' ? (
        <TextField
          label={t('rules.zone')}
          name="scope"
          value={f.scopeRef}
          error={err('/scope')}
          onChange={(e) => set('scopeRef', e.target.value)}
        />
      ) : null}
      <TextField
        label={t('rules.quantity')}
        hint={t('rules.quantityHint')}
        name="quantity"
        value={f.quantity}
        error={err('/quantity')}
        onChange={(e) => set('quantity', e.target.value)}
      />
      <Select
        label={t('rules.kind')}
        name="kind"
        value={f.kind}
        options={opts(formKinds, 'rules.kinds')}
        onChange={(e) =>
          setF((x) => ({
            ...x,
            kind: e.target.value as Form['kind'],
            op: e.target.value === 'rate' ? 'rise' : 'above',
          }))
        }
      />
      {f.kind === 'threshold' && (
        <>
          <Select
            label={t('rules.op')}
            name="params.op"
            value={f.op}
            options={opts(['above', 'below'], 'rules.ops')}
            onChange={(e) => set('op', e.target.value)}
          />
          {num('/params/value', 'value', t('rules.value'))}
          {num('/params/clearAt', 'clearAt', t('rules.clearAt'), t('rules.clearAtHint'))}
          {num('/params/forMinutes', 'forMinutes', t('rules.forMinutes'), t('rules.forMinutesHint'))}
        </>
      )}
      {f.kind === 'rate' && (
        <>
          <Select
            label={t('rules.op')}
            name="params.op"
            value={f.op}
            options={opts(['rise', 'fall'], 'rules.ops')}
            onChange={(e) => set('op', e.target.value)}
          />
          {num('/params/perMinute', 'perMinute', t('rules.perMinute'))}
          {num('/params/windowMinutes', 'windowMinutes', t('rules.windowMinutes'))}
        </>
      )}
      {f.kind === 'noData' && num('/params/minutes', 'minutes', t('rules.minutes'))}
      <fieldset>
        <legend>{t('rules.cap')}</legend>
        <Select
          label={t('rules.severity')}
          name="severity"
          value={f.severity}
          options={opts(severities, 'alerts.severity')}
          onChange={(e) => set('severity', e.target.value)}
        />
        <Select
          label={t('rules.urgency')}
          name="urgency"
          value={f.urgency}
          options={opts(urgencies, 'rules.urgencies')}
          onChange={(e) => set('urgency', e.target.value)}
        />
        <Select
          label={t('rules.certainty')}
          name="certainty"
          value={f.certainty}
          options={opts(certainties, 'rules.certainties')}
          onChange={(e) => set('certainty', e.target.value)}
        />
        <Select
          label={t('rules.category')}
          name="category"
          value={f.category}
          options={opts(categories, 'rules.categories')}
          onChange={(e) => set('category', e.target.value)}
        />
        <Checkbox
          label={t('rules.public')}
          name="public"
          checked={f.public}
          onChange={(e) => set('public', e.target.checked)}
        />
        {f.public && (
          <>
            <Area
              label={t('rules.instructionTh')}
              name="instruction.th"
              value={f.instructionTh}
              error={err('/instruction/th')}
              onChange={(v) => set('instructionTh', v)}
            />
            <Area
              label={t('rules.instructionEn')}
              name="instruction.en"
              value={f.instructionEn}
              error={err('/instruction/en')}
              onChange={(v) => set('instructionEn', v)}
            />
          </>
        )}
      </fieldset>
      {save.isError && !(save.error instanceof ProblemError && save.error.problem.errors?.length) && (
        <ErrorState error={save.error} />
      )}
      <div className="inline-form">
        {canSave && (
          <Button type="submit" disabled={save.isPending} data-testid="rule-save">
            {t('rules.save')}
          </Button>
        )}
        <Button variant="secondary" onClick={() => onDone(false)}>
          {t('rules.cancel')}
        </Button>
      </div>
      <Backtest body={'body' in checked ? checked.body : null} onInvalid={() => submitInvalid()} />
    </form>
  );

  function submitInvalid() {
    if ('errors' in checked) {
      setErrors(checked.errors);
      focusFirst(checked.errors);
    }
  }
}
