import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { Button } from '../../ui/Button.tsx';
import { RoleGate } from '../../ui/RoleGate.tsx';
import { ErrorState, Spinner } from '../../ui/States.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { type DecidedText, ModeratedItem } from './ModeratedItem.tsx';
import { useCategories } from './ReportPage.tsx';
import { categoryName } from './types.ts';

/** The roles the moderation API lets decide (src/modules/complaints/public.ts, `/moderation`). */
const moderators: Me['role'][] = ['admin', 'office_manager', 'officer'];
const pageSize = 25;

/** One request waiting for review, as GET /api/complaints/moderation answers. */
interface WaitingText {
  reference: string;
  category: string;
  /** What the citizen wrote: private, shown to staff only. */
  description: string;
  /** The same text with phones, emails, IDs and links masked: what would be published. */
  suggested: string;
  createdAt: string;
}

type Decision = { action: 'approve'; text?: string } | { action: 'hide' };
/** Which list is shown: the queue, or the texts already decided (to check them, or undo). */
const states = ['pending', 'approved', 'hidden'] as const;
type State = (typeof states)[number];

/**
 * Moderation of public text: the citizen's words next to the masked version that would go on the
 * public map and list; staff approve it, edit then approve it, or hide it. Office staff see their
 * office's requests, administrators all.
 */
export function ComplaintsModerationPage() {
  const { t } = useTranslation();
  // The heading names the list the filter shows, not always the queue.
  const [state, setState] = useState<State>('pending');
  const title = {
    pending: t('complaints.moderation.title'),
    approved: t('complaints.moderation.titleApproved'),
    hidden: t('complaints.moderation.titleHidden'),
  }[state];
  return (
    <section>
      <h1>{title}</h1>
      <p>{t('complaints.moderation.lead')}</p>
      <RoleGate roles={moderators} refusal={t('complaints.moderation.forbidden')}>
        {() => <Lists state={state} onState={setState} />}
      </RoleGate>
      <p>
        <Link to="/complaints/queue">{t('complaints.moderation.toQueue')}</Link>{' '}
        <Link to="/complaints/public">{t('complaints.moderation.toPublic')}</Link>
      </p>
    </section>
  );
}

/** The list chosen with radio buttons (a plain form control, announced with its group's name). */
function Lists({ state, onState }: { state: State; onState: (s: State) => void }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <>
      <fieldset className="moderation-filter">
        <legend>{t('complaints.moderation.show')}</legend>
        {states.map((s) => (
          <label key={s} htmlFor={`${id}-${s}`}>
            <input
              type="radio"
              id={`${id}-${s}`}
              name={`${id}-state`}
              value={s}
              checked={state === s}
              onChange={() => onState(s)}
            />{' '}
            {t(`complaints.moderation.states.${s}`)}
          </label>
        ))}
      </fieldset>
      <TextList key={state} state={state} />
    </>
  );
}

function TextList({ state }: { state: State }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const summary = useRef<HTMLParagraphElement>(null);
  const list = useQuery({
    queryKey: ['complaints', 'moderation', state, page],
    queryFn: () =>
      api<{ items: (WaitingText & DecidedText)[]; total: number }>(
        'GET',
        `/api/complaints/moderation?state=${state}&page=${page}&pageSize=${pageSize}`,
      ),
    placeholderData: keepPreviousData,
  });
  if (list.isPending) return <Spinner />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  const { items, total } = list.data;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const refocus = () => summary.current?.focus();
  return (
    <>
      {/* Focus comes back here after a decision, since the decided request leaves the list. */}
      <p ref={summary} tabIndex={-1} role="status" data-testid="moderation-count">
        {total === 0
          ? t(`complaints.moderation.none${state === 'pending' ? '' : `_${state}`}`)
          : t(`complaints.moderation.count${state === 'pending' ? '' : `_${state}`}`, { total })}
      </p>
      {items.map((item) =>
        state === 'pending' ? (
          <Item key={item.reference} item={item} onDecided={refocus} />
        ) : (
          <ModeratedItem key={item.reference} item={item} onDecided={refocus} />
        ),
      )}
      {pages > 1 && (
        <nav className="pager" aria-label={t('complaints.moderation.pages')}>
          <Button variant="secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t('table.previous')}
          </Button>
          <span>{t('table.page', { page, pages, total })}</span>
          <Button variant="secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            {t('table.next')}
          </Button>
        </nav>
      )}
    </>
  );
}

function Item({ item, onDecided }: { item: WaitingText; onDecided: () => void }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const toast = useToast();
  const categories = useCategories();
  const id = useId();
  const [text, setText] = useState(item.suggested);
  const [empty, setEmpty] = useState(false);
  const edited = text !== item.suggested;
  const decide = useMutation({
    mutationFn: (body: Decision) =>
      api<{ moderation: string }>(
        'POST',
        `/api/complaints/moderation/${encodeURIComponent(item.reference)}`,
        body,
      ),
    onSuccess: (_r, body) => {
      toast(t(`complaints.moderation.done.${body.action}`, { reference: item.reference }));
      void client.invalidateQueries({ queryKey: ['complaints'] });
      onDecided();
    },
  });
  const approve = () => {
    if (edited && text.trim() === '') {
      setEmpty(true);
      return;
    }
    setEmpty(false);
    decide.mutate(edited ? { action: 'approve', text: text.trim() } : { action: 'approve' });
  };
  const describedBy = [`${id}-hint`, empty ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <article className="card moderation-item" aria-labelledby={`${id}-title`} data-testid="moderation-item">
      <h2 id={`${id}-title`}>
        {item.reference} · {categoryName(categories.data, item.category, i18n.language)}
      </h2>
      <p className="note">
        {t('complaints.moderation.filed', { at: formatDate(item.createdAt, i18n.language) })}
      </p>
      <h3>{t('complaints.moderation.citizenText')}</h3>
      <p className="moderation-original" data-testid="moderation-original">
        {item.description}
      </p>
      <div className="field">
        <label htmlFor={`${id}-text`}>{t('complaints.moderation.publicText')}</label>
        <p id={`${id}-hint`} className="hint">
          {t('complaints.moderation.publicHint')}
        </p>
        <textarea
          id={`${id}-text`}
          name="publicText"
          rows={4}
          maxLength={4000}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={empty ? true : undefined}
          aria-describedby={describedBy}
        />
        {empty && (
          <p id={`${id}-error`} className="field-error" role="alert">
            {t('complaints.moderation.emptyText')}
          </p>
        )}
      </div>
      {decide.isError && <ErrorState error={decide.error} />}
      <div className="actions">
        <Button onClick={approve} disabled={decide.isPending}>
          {edited ? t('complaints.moderation.approveEdited') : t('complaints.moderation.approve')}
        </Button>
        {edited && (
          <Button variant="secondary" onClick={() => setText(item.suggested)} disabled={decide.isPending}>
            {t('complaints.moderation.undoEdit')}
          </Button>
        )}
        <Button
          variant="danger"
          onClick={() => decide.mutate({ action: 'hide' })}
          disabled={decide.isPending}
        >
          {t('complaints.moderation.hide')}
        </Button>
      </div>
    </article>
  );
}
