import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { Button } from '../../ui/Button.tsx';
import { ErrorState } from '../../ui/States.tsx';
import type { PublicRequest } from './types.ts';

export type NearbyRequest = PublicRequest & { distance: number };

/** Open reports of the same category within 250 m, last 6 months (the API decides; nearest first). */
export function findNearby(category: string, lat: number, lon: number) {
  const q = new URLSearchParams({ category, lat: String(lat), lon: String(lon) });
  return api<NearbyRequest[]>('GET', `/api/complaints/nearby?${q}`);
}

/**
 * Shown before sending when the same problem may be reported already: "+1" one of them instead (which
 * opens its status page), or file one's own anyway.
 */
export function NearbyCheck({
  items,
  signedIn,
  onFileAnyway,
  onCancel,
}: {
  items: NearbyRequest[];
  signedIn: boolean;
  onFileAnyway: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const support = useMutation({
    mutationFn: (reference: string) =>
      api('POST', `/api/complaints/requests/${encodeURIComponent(reference)}/support`),
    onSuccess: (_, reference) => void navigate({ to: '/complaints/$reference', params: { reference } }),
  });
  return (
    <section className="nearby-check" aria-labelledby="complaint-nearby-title" data-testid="complaint-nearby">
      <h3 id="complaint-nearby-title" ref={heading} tabIndex={-1}>
        {t('complaints.nearby.title', { count: items.length })}
      </h3>
      <p className="hint">{t('complaints.nearby.hint')}</p>
      <ul className="nearby-list">
        {items.map((r) => (
          <li key={r.reference}>
            <p>
              <Link to="/complaints/$reference" params={{ reference: r.reference }}>
                {r.reference}
              </Link>{' '}
              · {t(`complaints.status.${r.status}`)} ·{' '}
              {t('complaints.nearby.distance', { metres: r.distance })} ·{' '}
              {t('complaints.nearby.supporters', { count: r.supporters })}
            </p>
            <p className="nearby-description">{r.description}</p>
            {signedIn ? (
              <Button
                variant="secondary"
                onClick={() => support.mutate(r.reference)}
                disabled={support.isPending}
                aria-label={t('complaints.nearby.supportOne', { reference: r.reference })}
              >
                {t('complaints.nearby.support')}
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
      {!signedIn && (
        <p className="hint">
          {t('complaints.nearby.signInToSupport')} <Link to="/signin">{t('complaints.nearby.signIn')}</Link>
        </p>
      )}
      {support.isError && <ErrorState error={support.error} />}
      <div className="actions">
        <Button onClick={onFileAnyway} disabled={support.isPending}>
          {t('complaints.nearby.fileAnyway')}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('complaints.nearby.back')}
        </Button>
      </div>
    </section>
  );
}
