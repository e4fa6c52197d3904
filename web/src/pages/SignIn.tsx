import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useMeta } from '../session.ts';
import { Button } from '../ui/Button.tsx';
import { ErrorState } from '../ui/States.tsx';
import { TextField } from '../ui/TextField.tsx';
import { useSignInFlow } from './useSignInFlow.ts';

/** The demo accounts (README), with the role each one shows. */
const demoAccounts = [
  ['admin@demo.local', 'admin'],
  ['executive@demo.local', 'executive'],
  ['manager@demo.local', 'office_manager'],
  ['officer@demo.local', 'officer'],
  ['revenue@demo.local', 'officer'],
  ['citizen@demo.local', 'citizen'],
] as const;

export function SignInPage() {
  const { t } = useTranslation();
  const meta = useMeta().data;
  const { send, busy, error, fieldError } = useSignInFlow('/api/auth/login', ['/email', '/password']);

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void send({ email: String(form.get('email')), password: String(form.get('password')) });
  }

  return (
    <section className="narrow">
      <h1>{t('signin.title')}</h1>
      <form onSubmit={submit} noValidate>
        <TextField
          label={t('form.email')}
          name="email"
          type="text"
          autoComplete="username"
          inputMode="email"
          required
          error={fieldError('/email')}
        />
        <TextField
          label={t('form.password')}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={fieldError('/password')}
        />
        {error !== null && <ErrorState error={error} />}
        <Button type="submit" disabled={busy}>
          {t('signin.submit')}
        </Button>
      </form>
      <p>
        {t('signin.noAccount')} <Link to="/signup">{t('nav.signup')}</Link>
      </p>
      {meta?.demo && (
        <div className="card demo-note">
          <h2>{t('signin.demo')}</h2>
          <p>{t('signin.demoPassword')}</p>
          <ul>
            {demoAccounts.map(([account, role]) => (
              <li key={account}>
                <code>{account}</code> · {t(`roles.${role}`)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
