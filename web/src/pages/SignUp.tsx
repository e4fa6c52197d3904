import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isValidThaiNationalId } from '../../../src/core/auth/thai-id.ts';
import { api, type Me, ProblemError } from '../api.ts';
import { useSetMe } from '../session.ts';
import { Button } from '../ui/Button.tsx';
import { ErrorState } from '../ui/States.tsx';
import { TextField } from '../ui/TextField.tsx';

export function SignUpPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const setMe = useSetMe();
  const [error, setError] = useState<unknown>(null);
  const [idError, setIdError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    const nationalId = value('nationalId')?.replace(/[\s-]/g, '');
    if (nationalId && !isValidThaiNationalId(nationalId)) {
      setIdError(t('form.nationalIdInvalid'));
      return;
    }
    setIdError(undefined);
    setBusy(true);
    setError(null);
    try {
      const me = await api<Me>('POST', '/api/auth/signup', {
        displayName: value('displayName') ?? '',
        ...(value('email') ? { email: value('email') } : {}),
        ...(value('phone') ? { phone: value('phone') } : {}),
        ...(nationalId ? { nationalId } : {}),
        password: String(form.get('password') ?? ''),
        consent: form.get('consent') === 'on',
      });
      setMe(me);
      await navigate({ to: '/account' });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (path: string) => (error instanceof ProblemError ? error.fieldError(path) : undefined);
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
