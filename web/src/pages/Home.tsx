import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { localName } from '../i18n.ts';
import { useMeta } from '../session.ts';
import { Badge, ErrorState, Spinner } from '../ui/States.tsx';

/** The seven smart-city dimensions in the order Khon Kaen sets them out. */
const order = ['people', 'living', 'education', 'environment', 'economy', 'governance', 'mobility'];
const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);

export function HomePage() {
  const { t, i18n } = useTranslation();
  const meta = useMeta();
  return (
    <>
      <section className="hero">
        <h1>{t('home.title')}</h1>
        <p>
          {meta.data ? `${localName(meta.data.city, i18n.language)} · ` : ''}
          {t('home.lead')}
        </p>
        <p>
          <Link to="/warnings">{t('home.warnings')}</Link>
        </p>
      </section>
      <h2>{t('home.dimensions')}</h2>
      {meta.isPending && <Spinner />}
      {meta.isError && <ErrorState error={meta.error} onRetry={() => meta.refetch()} />}
      {meta.data && (
        <ol className="dimensions">
          {[...meta.data.dimensions]
            .sort((a, b) => rank(a.id) - rank(b.id))
            .map((d) => (
              <li
                key={d.id}
                id={`dimension-${d.id}`}
                data-testid="dimension"
                className={`card dimension dimension-${d.id}`}
              >
                <h3>{localName(d, i18n.language)}</h3>
                <p>{t(`dimension.${d.id}`)}</p>
                {d.modules.length === 0 ? (
                  <p data-testid="coming">
                    <Badge tone="neutral">{t('home.coming')}</Badge>{' '}
                    <span className="hint">{t('home.comingHint')}</span>
                  </p>
                ) : (
                  <ul className="modules">
                    {d.modules.map((m) => (
                      <li key={m.id}>
                        {m.status === 'active' ? (
                          <Link to={m.path}>{localName(m, i18n.language)}</Link>
                        ) : (
                          <>
                            {localName(m, i18n.language)} <Badge tone="neutral">{t('home.coming')}</Badge>
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
        </ol>
      )}
    </>
  );
}
