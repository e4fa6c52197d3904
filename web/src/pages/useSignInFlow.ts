import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { api, type Me, ProblemError } from '../api.ts';
import { useSetMe } from '../session.ts';

/**
 * What sign-in and sign-up share: post the form, remember who signed in, go to the account page,
 * and keep the problem (with its field errors) when it fails.
 */
export function useSignInFlow(url: '/api/auth/login' | '/api/auth/signup') {
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
  const fieldError = (path: string) => (error instanceof ProblemError ? error.fieldError(path) : undefined);
  return { send, busy, error, fieldError };
}
