import { useQuery, useQueryClient } from '@tanstack/react-query';
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

export function useSetMe() {
  const client = useQueryClient();
  return (me: Me | null) => {
    rememberCsrf(me?.csrfToken);
    client.setQueryData(['me'], me);
  };
}
