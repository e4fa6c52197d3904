import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isValidThaiNationalId } from '../../../src/core/auth/thai-id.ts';
import { Button } from '../ui/Button.tsx';
import { ErrorState } from '../ui/States.tsx';
import { TextField } from '../ui/TextField.tsx';
import { useSignInFlow } from './useSignInFlow.ts';

export function SignUpPage() {
  const { t } = useTranslation();
  const { send, busy, error, fieldError } = useSignInFlow('/api/auth/signup');
  const [idError, setIdError] = useState<string | undefined>();

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    const nationalId = value('nationalId')?.replace(/[\s-]/g, '');
    if (nationalId && !isValidThaiNationalId(nationalId)) {
      setIdError(t('form.nationalIdInvalid'));
      return;
    }
    setIdError(undefined);
    void send({
      displayName: value('displayName') ?? '',
      ...(value('email') ? { email: value('email') } : {}),
      ...(value('phone') ? { phone: value('phone') } : {}),
      ...(nationalId ? { nationalId } : {}),
      password: String(form.get('password') ?? ''),
      consent: form.get('consent') === 'on',
    });
  }

  return (
    <section className="narrow">
      <h1>{t('signup.title')}</h1>
      <form onSubmit={submit} noValidate>
        <TextField
          label={t('form.displayName')}
          name="displayName"
          autoComplete="name"
          required
          error={fieldError('/displayName')}
        />
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
          error={fieldError('/phone')}
        />
        <TextField
          label={t('form.nationalId')}
          name="nationalId"
          inputMode="numeric"
          maxLength={17}
          error={idError ?? fieldError('/nationalId')}
        />
        <TextField
          label={t('form.password')}
          name="password"
          type="password"
          autoComplete="new-password"
          hint={t('form.passwordHint')}
          minLength={10}
          required
          error={fieldError('/password')}
        />
        <div className="check">
          <input id="consent" name="consent" type="checkbox" required />
          <label htmlFor="consent">{t('form.consent')}</label>
        </div>
        {error !== null && <ErrorState error={error} />}
        <Button type="submit" disabled={busy}>
          {t('signup.submit')}
        </Button>
      </form>
      <p>
        {t('signup.haveAccount')} <Link to="/signin">{t('nav.signin')}</Link>
      </p>
    </section>
  );
}
