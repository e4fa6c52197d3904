import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me, ProblemError } from '../api.ts';
import { useSetMe } from '../session.ts';

/** The server's short field messages, said in the person's language. */
const serverMessages: Record<string, string> = {
  required: 'form.errors.required',
  invalid: 'form.errors.invalid',
  'check digit': 'form.errors.nationalId.checkDigit',
};

/**
 * What sign-in and sign-up share: post the form, remember who signed in, go to the account page,
 * and keep the problem (with its field errors) when it fails.
 */
export function useSignInFlow(url: '/api/auth/login' | '/api/auth/signup', fields: string[]) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const setMe = useSetMe();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function send(body: unknown) {
    setBusy(true);
    setError(null);
    try {
      setMe(await api<Me>('POST', url, body));
      await navigate({ to: '/account' });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const fieldError = (path: string) => {
    const message = error instanceof ProblemError ? error.fieldError(path) : undefined;
    return message && (serverMessages[message] ? t(serverMessages[message]) : message);
  };
  // The problem's title and detail, unless each of its field errors is shown beside its field.
  const besideFields =
    error instanceof ProblemError &&
    !!error.problem.errors?.length &&
    error.problem.errors.every((e) => fields.some((f) => e.path.endsWith(f)));
  const formError = besideFields ? null : error;
  return { send, busy, error: formError, fieldError, setError };
}
