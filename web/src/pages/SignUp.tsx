import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checkSignup, type FieldErrors, minPasswordLength } from '../forms/signup.ts';
import { Button } from '../ui/Button.tsx';
import { ErrorState } from '../ui/States.tsx';
import { Checkbox, TextField } from '../ui/TextField.tsx';
import { useSignInFlow } from './useSignInFlow.ts';

const fields = ['/displayName', '/email', '/phone', '/nationalId', '/password', '/consent'] as const;

export function SignUpPage() {
  const { t } = useTranslation();
  const flow = useSignInFlow('/api/auth/signup', [...fields]);
  const [local, setLocal] = useState<FieldErrors>({});
  const fieldError = (path: (typeof fields)[number]) => {
    const key = local[path];
    return key ? t(key, { min: minPasswordLength }) : flow.fieldError(path);
  };

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '');
    const checked = checkSignup({
      displayName: text('displayName'),
      email: text('email'),
      phone: text('phone'),
      nationalId: text('nationalId'),
      password: text('password'),
      consent: data.get('consent') === 'on',
    });
    if ('errors' in checked) {
      setLocal(checked.errors);
      flow.setError(null);
      // Take the person to the first field that needs them.
      const first = fields.find((f) => checked.errors[f]);
      form.querySelector<HTMLElement>(`[name="${first?.slice(1)}"]`)?.focus();
      return;
    }
    setLocal({});
    void flow.send(checked.body);
  }

  return (
    <section className="narrow">
      <h1>{t('signup.title')}</h1>
      <p>{t('signup.lead')}</p>
      <form onSubmit={submit} noValidate>
        <TextField
          label={t('form.displayName')}
          name="displayName"
          autoComplete="name"
          required
          error={fieldError('/displayName')}
        />
        <fieldset className="contact">
          <legend>{t('form.contact')}</legend>
          <p className="hint">{t('form.contactHint')}</p>
          <TextField
            label={t('form.emailOnly')}
            name="email"
            type="email"
            autoComplete="email"
            error={fieldError('/email')}
          />
          <TextField
            label={t('form.phone')}
            name="phone"
            type="tel"
            autoComplete="tel"
            inputMode="tel"
            hint={t('form.phoneHint')}
            error={fieldError('/phone')}
          />
        </fieldset>
        <TextField
          label={t('form.nationalId')}
          name="nationalId"
          inputMode="numeric"
          autoComplete="off"
          maxLength={17}
          hint={t('form.nationalIdHint')}
          error={fieldError('/nationalId')}
        />
        <TextField
          label={t('form.password')}
          name="password"
          type="password"
          autoComplete="new-password"
          hint={t('form.passwordHint', { min: minPasswordLength })}
          minLength={minPasswordLength}
          required
          error={fieldError('/password')}
        />
        <Checkbox
          name="consent"
          required
          error={fieldError('/consent')}
          label={
            <>
              {t('form.consent')}{' '}
              <Link to="/privacy" target="_blank" rel="noopener">
                {t('form.privacyLink')}
              </Link>
            </>
          }
        />
        {flow.error !== null && <ErrorState error={flow.error} />}
        <Button type="submit" disabled={flow.busy}>
          {t('signup.submit')}
        </Button>
      </form>
      <p>
        {t('signup.haveAccount')} <Link to="/signin">{t('nav.signin')}</Link>
      </p>
    </section>
  );
}
