import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { photoPayload } from '../../forms/photos.ts';
import { useMe } from '../../session.ts';
import { Button } from '../../ui/Button.tsx';
import { PhotoPicker, PhotoThumbs, photoProblem } from '../../ui/PhotoPicker.tsx';
import { Badge, Card, ErrorState, Spinner } from '../../ui/States.tsx';
import { Table } from '../../ui/Table.tsx';
import { Checkbox, Select } from '../../ui/TextField.tsx';
import {
  DueCell,
  filterParams,
  noFilter,
  type QueueFilter,
  QueueFilters,
  StaffActions,
} from './QueueExtras.tsx';
import { useCategories } from './ReportPage.tsx';
import {
  categoryName,
  photoUrls,
  type QueueItem,
  type RequestDetail,
  type Status,
  statuses,
} from './types.ts';

const pageSize = 25;
const priorities = ['low', 'normal', 'high', 'urgent'] as const;
/** Moves the API refuses without a public note (src/modules/complaints/domain.ts `needsPublicNote`). */
const needsReason: Status[] = ['rejected', 'forwarded'];
const staffRoles = ['admin', 'executive', 'office_manager', 'officer'];
const writerRoles = ['admin', 'office_manager', 'officer'];

/** Whole days since a date, for the queue's "age" column. */
const ageInDays = (iso: string) => Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 86_400_000));

/** The staff queue of "You Pee": an office's complaints, filtered by status, and the work on one of them. */
export function ComplaintsQueuePage() {
  const { t } = useTranslation();
  const me = useMe();
  const [open, setOpen] = useState<string | null>(null);
  if (me.isPending) return <Spinner />;
  const allowed = !!me.data && staffRoles.includes(me.data.role);
  return (
    <section>
      <h1>{t('complaints.queue.title')}</h1>
      {allowed ? (
        <>
          {writerRoles.includes(me.data!.role) && (
            <p>
              <Link to="/complaints/moderation">{t('complaints.moderation.open')}</Link>
            </p>
          )}
          <Queue onOpen={setOpen} anyOffice={['admin', 'executive'].includes(me.data!.role)} />
          {open && <Work reference={open} canWrite={writerRoles.includes(me.data!.role)} />}
        </>
      ) : (
        <div className="error-state" role="alert">
          <p className="error-title">{t('complaints.queue.forbidden')}</p>
          {!me.data && <Link to="/signin">{t('nav.signin')}</Link>}
        </div>
      )}
      <Link to="/complaints">{t('complaints.view.back')}</Link>
    </section>
  );
}

function Queue({ onOpen, anyOffice }: { onOpen: (reference: string) => void; anyOffice: boolean }) {
  const { t, i18n } = useTranslation();
  const categories = useCategories();
  const [page, setPage] = useState(0);
  const [status, setStatus] = useState('');
  const [filter, setFilter] = useState<QueueFilter>(noFilter);
  const list = useQuery({
    queryKey: ['complaints', 'queue', status, filter, page],
    queryFn: () => {
      const q = filterParams(
        filter,
        new URLSearchParams({ page: String(page + 1), pageSize: String(pageSize) }),
      );
      if (status) q.set('status', status);
      return api<{ items: QueueItem[]; total: number }>('GET', `/api/complaints/queue?${q}`);
    },
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <div className="inline-form filters">
        <Select
          label={t('complaints.queue.status')}
          name="status"
          value={status}
          onChange={(e) => {
            setStatus(e.target.value);
            setPage(0);
          }}
          options={[
            { value: '', label: t('complaints.queue.allStatuses') },
            ...statuses.map((s) => ({ value: s, label: t(`complaints.status.${s}`) })),
          ]}
        />
        <QueueFilters
          value={filter}
          anyOffice={anyOffice}
          onChange={(f) => {
            setFilter(f);
            setPage(0);
          }}
        />
      </div>
      {list.isPending && <Spinner />}
      {list.isError && <ErrorState error={list.error} onRetry={() => void list.refetch()} />}
      {list.data && (
        <Table
          caption={t('complaints.queue.caption', { total: list.data.total })}
          rows={list.data.items}
          rowKey={(r) => r.reference}
          pageSize={pageSize}
          server={{ total: list.data.total, page, onPage: setPage }}
          empty={t('complaints.queue.none')}
          columns={[
            {
              key: 'reference',
              header: t('complaints.find.reference'),
              cell: (r) => (
                <button type="button" className="btn btn-link inline" onClick={() => onOpen(r.reference)}>
                  {r.reference}
                </button>
              ),
            },
            {
              key: 'category',
              header: t('complaints.report.category'),
              cell: (r) => categoryName(categories.data, r.category, i18n.language),
            },
            {
              key: 'status',
              header: t('complaints.queue.status'),
              cell: (r) => t(`complaints.status.${r.status}`),
            },
            {
              key: 'priority',
              header: t('complaints.queue.priority'),
              cell: (r) => t(`complaints.priority.${r.priority}`),
            },
            { key: 'zone', header: t('complaints.queue.zone'), cell: (r) => r.zone },
            {
              key: 'photos',
              header: t('complaints.photos.title'),
              cell: (r) => (
                <PhotoThumbs
                  urls={photoUrls(r.reference, r.photos.slice(0, 1))}
                  alt={(n, kind) => t(`complaints.photos.${kind}`, { n })}
                />
              ),
            },
            {
              key: 'age',
              header: t('complaints.queue.age'),
              cell: (r) => ageInDays(r.createdAt),
            },
            { key: 'due', header: t('complaints.queueMore.due'), cell: (r) => <DueCell r={r} /> },
          ]}
        />
      )}
    </>
  );
}

/** What a field shows from the API's answer: its own field error, or the "a reason is needed" refusal. */
function serverError(error: unknown, path: string, t: (k: string) => string): string | undefined {
  if (!(error instanceof ProblemError)) return undefined;
  if (path === '/note' && error.problem.code === 'complaints.reason_required')
    return t('complaints.queue.reasonRequired');
  return error.fieldError(path);
}

function Work({ reference, canWrite }: { reference: string; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const categories = useCategories();
  const detail = useQuery({
    queryKey: ['complaints', 'request', reference, 'staff'],
    queryFn: () => api<RequestDetail>('GET', `/api/complaints/requests/${encodeURIComponent(reference)}`),
  });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['complaints', 'request', reference] });
    void client.invalidateQueries({ queryKey: ['complaints', 'queue'] });
  };
  if (detail.isPending) return <Spinner />;
  if (detail.isError) return <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />;
  const r = detail.data;
  return (
    <Card data-testid="queue-request">
      <h2>
        {t('complaints.view.title')} <span data-testid="queue-reference">{r.reference}</span>{' '}
        <Badge tone={r.closedAt ? 'neutral' : 'info'} data-testid="queue-status">
          {t(`complaints.status.${r.status}`)}
        </Badge>
      </h2>
      <dl>
        <dt>{t('complaints.report.category')}</dt>
        <dd>{categoryName(categories.data, r.category, i18n.language)}</dd>
        <dt>{t('complaints.report.description')}</dt>
        <dd style={{ whiteSpace: 'pre-wrap' }}>{r.description}</dd>
        <dt>{t('complaints.view.where')}</dt>
        <dd>
          {r.address ? `${r.address} · ` : ''}
          {r.lat}, {r.lon} · {r.zone}
          {r.community ? ` · ${r.community}` : ''}
        </dd>
        <dt>{t('complaints.view.filed')}</dt>
        <dd>{formatDate(r.createdAt, i18n.language)}</dd>
        <dt>{t('complaints.queue.priority')}</dt>
        <dd>{t(`complaints.priority.${r.priority}`)}</dd>
        <dt>{t('complaints.queue.contact')}</dt>
        <dd data-testid="queue-contact">
          {r.contact
            ? [r.contact.name, r.contact.email, r.contact.phone, r.contact.account]
                .filter(Boolean)
                .join(' · ') || t('complaints.queue.noContact')
            : t('complaints.queue.noContact')}
        </dd>
        <dt>{t('complaints.view.supporters')}</dt>
        <dd>{r.supporters}</dd>
      </dl>
      <PhotoThumbs
        urls={photoUrls(r.reference, r.photos)}
        alt={(n, kind) => t(`complaints.photos.${kind}`, { n })}
      />
      <h3>{t('complaints.history.title')}</h3>
      <ol data-testid="queue-history">
        {r.events.map((e) => (
          <li key={`${e.at}-${e.kind}-${e.toStatus ?? ''}-${e.note ?? ''}`}>
            {formatDate(e.at, i18n.language)}:{' '}
            {e.kind === 'status'
              ? t('complaints.history.status', { status: t(`complaints.status.${e.toStatus ?? 'received'}`) })
              : ['created', 'note', 'reassigned', 'priority'].includes(e.kind)
                ? t(`complaints.queue.event.${e.kind}`)
                : t(`complaints.aftercare.history.${e.kind}`)}{' '}
            {!e.public && <Badge tone="neutral">{t('complaints.queue.internal')}</Badge>}
            {e.note && <p style={{ whiteSpace: 'pre-wrap' }}>{e.note}</p>}
          </li>
        ))}
      </ol>
      {canWrite && (
        <>
          <MoveForm request={r} onDone={refresh} />
          <NoteForm reference={r.reference} onDone={refresh} />
          <PriorityForm request={r} onDone={refresh} />
          <StaffActions request={r} onDone={refresh} />
        </>
      )}
    </Card>
  );
}

/** The note and "the citizen sees it" box, shared by a move and a plain note. */
function NoteFields({ error, reasonNeeded }: { error?: string; reasonNeeded?: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <>
      <div className="field">
        <label htmlFor={id}>{t('complaints.queue.note')}</label>
        {reasonNeeded && (
          <p id={`${id}-hint`} className="hint">
            {t('complaints.queue.reasonHint')}
          </p>
        )}
        <textarea
          id={id}
          name="note"
          rows={3}
          maxLength={4000}
          aria-invalid={error ? true : undefined}
          aria-describedby={
            [reasonNeeded ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') ||
            undefined
          }
        />
        {error && (
          <p id={`${id}-error`} className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <Checkbox label={t('complaints.queue.public')} name="public" />
    </>
  );
}

function readNote(form: HTMLFormElement) {
  const data = new FormData(form);
  const note = String(data.get('note') ?? '').trim();
  return { note: note || undefined, public: data.get('public') === 'on' };
}

const withPhotos = async <T extends object>(photos: File[], body: T) =>
  photos.length ? { ...body, photos: await photoPayload(photos) } : body;

function MoveForm({ request, onDone }: { request: RequestDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const next = request.nextStatuses ?? [];
  const [to, setTo] = useState<string>('');
  const [photos, setPhotos] = useState<File[]>([]);
  const move = useMutation({
    mutationFn: (body: { to: string; note?: string; public: boolean; photos?: unknown[] }) =>
      api('POST', `/api/complaints/requests/${encodeURIComponent(request.reference)}/transitions`, body),
    onSuccess: onDone,
  });
  if (next.length === 0) return null;
  const chosen = to || next[0]!;
  const noteError = serverError(move.error, '/note', t);
  return (
    <form
      noValidate
      data-testid="queue-move"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        void withPhotos(photos, { to: chosen, ...readNote(form) }).then((body) =>
          move.mutate(body, {
            onSuccess: () => {
              form.reset();
              setPhotos([]);
            },
          }),
        );
      }}
    >
      <h3>{t('complaints.queue.move')}</h3>
      <Select
        label={t('complaints.queue.to')}
        name="to"
        value={chosen}
        onChange={(e) => setTo(e.target.value)}
        options={next.map((s) => ({ value: s, label: t(`complaints.status.${s}`) }))}
        error={serverError(move.error, '/to', t)}
      />
      <NoteFields error={noteError} reasonNeeded={needsReason.includes(chosen as Status)} />
      <PhotoPicker
        label={t('complaints.photos.staffLabel')}
        files={photos}
        onChange={setPhotos}
        error={photoProblem(move.error)}
      />
      {move.isError && !noteError && !photoProblem(move.error) && <ErrorState error={move.error} />}
      <Button type="submit" disabled={move.isPending}>
        {t('complaints.queue.moveSubmit')}
      </Button>
    </form>
  );
}

function NoteForm({ reference, onDone }: { reference: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [photos, setPhotos] = useState<File[]>([]);
  const add = useMutation({
    mutationFn: (body: { note?: string; public: boolean; photos?: unknown[] }) =>
      api('POST', `/api/complaints/requests/${encodeURIComponent(reference)}/notes`, body),
    onSuccess: onDone,
  });
  const noteError = serverError(add.error, '/note', t);
  return (
    <form
      noValidate
      data-testid="queue-note"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        void withPhotos(photos, readNote(form)).then((body) =>
          add.mutate(body, {
            onSuccess: () => {
              form.reset();
              setPhotos([]);
            },
          }),
        );
      }}
    >
      <h3>{t('complaints.queue.addNote')}</h3>
      <NoteFields error={noteError} />
      <PhotoPicker
        label={t('complaints.photos.staffLabel')}
        files={photos}
        onChange={setPhotos}
        error={photoProblem(add.error)}
      />
      {add.isError && !noteError && !photoProblem(add.error) && <ErrorState error={add.error} />}
      <Button type="submit" variant="secondary" disabled={add.isPending}>
        {t('complaints.queue.addNote')}
      </Button>
    </form>
  );
}

function PriorityForm({ request, onDone }: { request: RequestDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const set = useMutation({
    mutationFn: (priority: string) =>
      api('POST', `/api/complaints/requests/${encodeURIComponent(request.reference)}/priority`, { priority }),
    onSuccess: onDone,
  });
  return (
    <form
      noValidate
      className="inline-form"
      data-testid="queue-priority"
      onSubmit={(e) => {
        e.preventDefault();
        set.mutate(String(new FormData(e.currentTarget).get('priority')));
      }}
    >
      <Select
        label={t('complaints.queue.priority')}
        name="priority"
        defaultValue={request.priority}
        options={priorities.map((p) => ({ value: p, label: t(`complaints.priority.${p}`) }))}
        error={serverError(set.error, '/priority', t)}
      />
      <Button type="submit" variant="secondary" disabled={set.isPending}>
        {t('complaints.queue.setPriority')}
      </Button>
      {set.isError && !(set.error instanceof ProblemError && set.error.fieldError('/priority')) && (
        <ErrorState error={set.error} />
      )}
    </form>
  );
}
