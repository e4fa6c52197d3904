import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { Button } from '../../ui/Button.tsx';
import { Card, ErrorState } from '../../ui/States.tsx';
import type { RequestDetail } from './types.ts';

/** For the reporter of a resolved complaint: rate it once (1–5, optional comment), or reopen it within 14 days. */
export function Aftercare({ request }: { request: RequestDetail }) {
  const { t } = useTranslation();
  if (!request.canRate && !request.reopenUntil && request.rating == null) return null;
  return (
    <Card>
      <h2>{t('complaints.aftercare.title')}</h2>
      {request.rating != null ? (
        <p data-testid="status-rating">{t('complaints.aftercare.rated', { rating: request.rating })}</p>
      ) : (
        request.canRate && <RatingForm reference={request.reference} />
      )}
      {request.reopenUntil && <ReopenForm reference={request.reference} until={request.reopenUntil} />}
    </Card>
  );
}

function useRefresh(reference: string) {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: ['complaints', 'request', reference] });
}

function RatingForm({ reference }: { reference: string }) {
  const { t } = useTranslation();
  const id = useId();
  const refresh = useRefresh(reference);
  const [rating, setRating] = useState<number | null>(null);
  const [missing, setMissing] = useState(false);
  const rate = useMutation({
    mutationFn: (body: { rating: number; comment?: string }) =>
      api('POST', `/api/complaints/requests/${encodeURIComponent(reference)}/rating`, body),
    onSuccess: refresh,
  });
  return (
    <form
      noValidate
      data-testid="status-rate"
      onSubmit={(e) => {
        e.preventDefault();
        if (rating === null) return setMissing(true);
        const comment = String(new FormData(e.currentTarget).get('comment') ?? '').trim();
        rate.mutate({ rating, ...(comment ? { comment } : {}) });
      }}
    >
      <fieldset aria-describedby={missing ? `${id}-error` : undefined}>
        <legend>{t('complaints.aftercare.rate')}</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} className="inline">
            <input
              type="radio"
              name="rating"
              value={n}
              checked={rating === n}
              onChange={() => {
                setRating(n);
                setMissing(false);
              }}
            />{' '}
            {t(`complaints.aftercare.stars.${n}`)}
          </label>
        ))}
        {missing && (
          <p id={`${id}-error`} className="field-error" role="alert">
            {t('complaints.aftercare.ratingRequired')}
          </p>
        )}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-comment`}>{t('complaints.aftercare.comment')}</label>
        <textarea id={`${id}-comment`} name="comment" maxLength={2000} rows={3} />
      </div>
      {rate.isError && <ErrorState error={rate.error} />}
      <Button type="submit" disabled={rate.isPending}>
        {t('complaints.aftercare.rateSubmit')}
      </Button>
    </form>
  );
}

function ReopenForm({ reference, until }: { reference: string; until: string }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const refresh = useRefresh(reference);
  const [missing, setMissing] = useState(false);
  const reopen = useMutation({
    mutationFn: (reason: string) =>
      api('POST', `/api/complaints/requests/${encodeURIComponent(reference)}/reopen`, { reason }),
    onSuccess: refresh,
  });
  const tooLate =
    reopen.error instanceof ProblemError && reopen.error.problem.code === 'complaints.reopen_window_passed';
  return (
    <form
      noValidate
      data-testid="status-reopen"
      onSubmit={(e) => {
        e.preventDefault();
        const reason = String(new FormData(e.currentTarget).get('reason') ?? '').trim();
        if (!reason) return setMissing(true);
        reopen.mutate(reason);
      }}
    >
      <h3>{t('complaints.aftercare.reopen')}</h3>
      <div className="field">
        <label htmlFor={`${id}-reason`}>{t('complaints.aftercare.reason')}</label>
        <p id={`${id}-hint`} className="hint">
          {t('complaints.aftercare.reopenUntil', { date: formatDate(until, i18n.language) })}
        </p>
        <textarea
          id={`${id}-reason`}
          name="reason"
          maxLength={4000}
          rows={3}
          aria-invalid={missing || undefined}
          aria-describedby={`${id}-hint${missing ? ` ${id}-error` : ''}`}
          onChange={() => setMissing(false)}
        />
        {missing && (
          <p id={`${id}-error`} className="field-error" role="alert">
            {t('complaints.aftercare.reasonRequired')}
          </p>
        )}
      </div>
      {reopen.isError &&
        (tooLate ? (
          <p role="alert">{t('complaints.aftercare.tooLate')}</p>
        ) : (
          <ErrorState error={reopen.error} />
        ))}
      <Button type="submit" variant="secondary" disabled={reopen.isPending}>
        {t('complaints.aftercare.reopenSubmit')}
      </Button>
    </form>
  );
}
