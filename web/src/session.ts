import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { api, type Me, type Meta, ProblemError, rememberCsrf } from './api.ts';

/** The signed-in person, or null. */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        const me = await api<Me>('GET', '/api/me');
        rememberCsrf(me.csrfToken);
        return me;
      } catch (e) {
        if (e instanceof ProblemError && e.problem.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });
}

export function useMeta() {
  return useQuery({ queryKey: ['meta'], queryFn: () => api<Meta>('GET', '/api/meta'), staleTime: 300_000 });
}

/** Forgets what was fetched for the previous person (a shared phone or a kiosk), keeping the city's meta. */
function forgetPersonalData(client: QueryClient): void {
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'meta' && q.queryKey[0] !== 'me' });
}

export function useSetMe() {
  const client = useQueryClient();
  return (me: Me | null) => {
    const before = client.getQueryData<Me | null>(['me']);
    rememberCsrf(me?.csrfToken);
    if (before?.id !== me?.id) forgetPersonalData(client);
    client.setQueryData(['me'], me);
  };
}

/** Signs out, forgets the person's data, and goes to the home page. */
export function useSignOut() {
  const setMe = useSetMe();
  const navigate = useNavigate();
  return async () => {
    await api('POST', '/api/auth/logout');
    setMe(null);
    await navigate({ to: '/' });
  };
}
