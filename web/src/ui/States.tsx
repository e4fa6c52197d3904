import { useTranslation } from 'react-i18next';
import { ProblemError, problemTitle } from '../api.ts';
import { Button } from './Button.tsx';

export function Spinner() {
  const { t } = useTranslation();
  return (
    <p className="spinner" role="status">
      {t('state.loading')}
    </p>
  );
}

export function EmptyState({ children }: { children: React.ReactNode }) {
  return <div className="empty">{children}</div>;
}

/**
 * Shows an RFC 9457 problem (title, detail, field errors, code) or any other error. The title follows the
 * UI language for the platform's common codes; detail and field messages are as the server worded them,
 * in the language the request asked for (api.ts sends the UI language as Accept-Language).
 */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const problem = error instanceof ProblemError ? error.problem : null;
  return (
    <div className="error-state" role="alert">
      <p className="error-title">{problem ? problemTitle(problem, t) : t('state.error')}</p>
      {/* A detail that only joins the field errors would say them twice. */}
      {problem?.detail && !problem.errors?.length && <p>{problem.detail}</p>}
      {problem?.errors && problem.errors.length > 0 && (
        <ul>
          {problem.errors.map((e) => (
            <li key={`${e.path}:${e.message}`}>
              <code>{e.path}</code> {e.message}
            </li>
          ))}
        </ul>
      )}
      {problem?.code && <p className="code">{problem.code}</p>}
      {!problem && error instanceof Error && <p>{error.message}</p>}
      {onRetry && (
        <Button variant="secondary" onClick={onRetry}>
          {t('state.retry')}
        </Button>
      )}
    </div>
  );
}

export function Card({ children, className = '', ...rest }: React.HTMLAttributes<HTMLElement>) {
  return (
    <section className={`card ${className}`} {...rest}>
      {children}
    </section>
  );
}

export function Badge({
  children,
  tone = 'neutral',
  ...rest
}: {
  children: React.ReactNode;
  tone?: 'neutral' | 'info' | 'warn';
} & React.HTMLAttributes<HTMLSpanElement>) {
  return (
    <span className={`badge badge-${tone}`} {...rest}>
      {children}
    </span>
  );
}
