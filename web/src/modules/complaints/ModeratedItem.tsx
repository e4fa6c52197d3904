import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { Button } from '../../ui/Button.tsx';
import { ErrorState } from '../../ui/States.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { useCategories } from './ReportPage.tsx';
import { categoryName } from './types.ts';

/** One request whose text was decided, as GET /api/complaints/moderation?state=approved|hidden answers. */
export interface DecidedText {
  reference: string;
  category: string;
  /** What the citizen wrote: private, shown to staff only. */
  description: string;
  moderation: 'approved' | 'hidden';
  /** What the public sees (approved only). */
  publicText: string | null;
  moderatedAt: string | null;
  moderatedBy: string | null;
}

/**
 * A decided text, with the way back: an approved text can be hidden at once, and either can be put
 * back in the queue (`requeue`), where it is reviewed again with the full editor.
 */
export function ModeratedItem({ item, onDecided }: { item: DecidedText; onDecided: () => void }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const toast = useToast();
  const categories = useCategories();
  const id = useId();
  const decide = useMutation({
    mutationFn: (action: 'hide' | 'requeue') =>
      api('POST', `/api/complaints/moderation/${encodeURIComponent(item.reference)}`, { action }),
    onSuccess: (_r, action) => {
      toast(t(`complaints.moderation.done.${action}`, { reference: item.reference }));
      void client.invalidateQueries({ queryKey: ['complaints'] });
      onDecided();
    },
  });
  const when = item.moderatedAt ? formatDate(item.moderatedAt, i18n.language) : '—';
  return (
    <article className="card moderation-item" aria-labelledby={`${id}-title`} data-testid="moderated-item">
      <h2 id={`${id}-title`}>
        {item.reference} · {categoryName(categories.data, item.category, i18n.language)}
      </h2>
      <p className="note">
        {t(`complaints.moderation.decided.${item.moderation}`, {
          at: when,
          by: item.moderatedBy ?? t('complaints.moderation.bySystem'),
        })}
      </p>
      <h3>{t('complaints.moderation.citizenText')}</h3>
      <p className="moderation-original">{item.description}</p>
      {item.moderation === 'approved' && (
        <>
          <h3>{t('complaints.moderation.publicText')}</h3>
          <p data-testid="moderated-public">{item.publicText}</p>
        </>
      )}
      {decide.isError && <ErrorState error={decide.error} />}
      <div className="actions">
        <Button variant="secondary" onClick={() => decide.mutate('requeue')} disabled={decide.isPending}>
          {t('complaints.moderation.requeue')}
        </Button>
        {item.moderation === 'approved' && (
          <Button variant="danger" onClick={() => decide.mutate('hide')} disabled={decide.isPending}>
            {t('complaints.moderation.hide')}
          </Button>
        )}
      </div>
    </article>
  );
}
