import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ProblemError } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { Button } from '../../ui/Button.tsx';
import { Badge, ErrorState } from '../../ui/States.tsx';
import { Select, TextField } from '../../ui/TextField.tsx';
import { useCategories } from './ReportPage.tsx';
import { categoryName, type PublicRequest, type RequestDetail } from './types.ts';

const priorities = ['low', 'normal', 'high', 'urgent'] as const;
interface Office {
  code: string;
  nameTh: string;
  nameEn: string;
}

export interface QueueFilter {
  category: string;
  priority: string;
  /** '' (all), 'overdue', 'escalated' */
  sla: string;
  office: string;
}
export const noFilter: QueueFilter = { category: '', priority: '', sla: '', office: '' };

/** The queue's query string for a filter (see QueueQuery in src/modules/complaints/schemas.ts). */
export function filterParams(f: QueueFilter, q: URLSearchParams): URLSearchParams {
  if (f.category) q.set('category', f.category);
  if (f.priority) q.set('priority', f.priority);
  if (f.sla === 'overdue') q.set('overdue', 'true');
  if (f.sla === 'escalated') q.set('escalated', 'true');
  if (f.office) q.set('office', f.office);
  return q;
}

export function useOffices() {
  return useQuery({ queryKey: ['offices'], queryFn: () => api<Office[]>('GET', '/api/org/offices') });
}

/** Category, priority, SLA and (for admins and executives, who see every office) office filters. */
export function QueueFilters({
  value,
  onChange,
  anyOffice,
}: {
  value: QueueFilter;
  onChange: (f: QueueFilter) => void;
  anyOffice: boolean;
}) {
  const { t, i18n } = useTranslation();
  const categories = useCategories();
  const offices = useOffices();
  const set = (k: keyof QueueFilter) => (e: React.ChangeEvent<HTMLSelectElement>) =>
    onChange({ ...value, [k]: e.target.value });
  return (
    <>
      <Select
        label={t('complaints.queueMore.category')}
        name="category"
        value={value.category}
        onChange={set('category')}
        options={[
          { value: '', label: t('complaints.queueMore.allCategories') },
          ...(categories.data ?? []).map((c) => ({
            value: c.code,
            label: categoryName(categories.data, c.code, i18n.language),
          })),
        ]}
      />
      <Select
        label={t('complaints.queueMore.priority')}
        name="priority"
        value={value.priority}
        onChange={set('priority')}
        options={[
          { value: '', label: t('complaints.queueMore.allPriorities') },
          ...priorities.map((p) => ({ value: p, label: t(`complaints.priority.${p}`) })),
        ]}
      />
      <Select
        label={t('complaints.queueMore.sla')}
        name="sla"
        value={value.sla}
        onChange={set('sla')}
        options={[
          { value: '', label: t('complaints.queueMore.allSla') },
          { value: 'overdue', label: t('complaints.queueMore.overdue') },
          { value: 'escalated', label: t('complaints.queueMore.escalated') },
        ]}
      />
      {anyOffice && (
        <Select
          label={t('complaints.queueMore.office')}
          name="office"
          value={value.office}
          onChange={set('office')}
          options={[
            { value: '', label: t('complaints.queueMore.allOffices') },
            ...(offices.data ?? []).map((o) => ({
              value: o.code,
              label: i18n.language === 'th' ? o.nameTh : o.nameEn,
            })),
          ]}
        />
      )}
    </>
  );
}

const openStatuses = ['received', 'accepted', 'in_progress', 'forwarded', 'on_hold'];

/** The due time, with an "escalated" or "overdue" badge the office manager can spot. */
export function DueCell({ r }: { r: PublicRequest }) {
  const { t, i18n } = useTranslation();
  if (!r.dueAt) return null;
  const overdue =
    openStatuses.includes(r.status) && r.status !== 'on_hold' && Date.parse(r.dueAt) < Date.now();
  return (
    <>
      {formatDate(r.dueAt, i18n.language)}{' '}
      {r.escalatedAt ? (
        <Badge tone="warn" data-testid="queue-escalated">
          {t('complaints.queueMore.escalated')}
        </Badge>
      ) : (
        overdue && <Badge tone="warn">{t('complaints.queueMore.overdue')}</Badge>
      )}
    </>
  );
}

function useAction(reference: string, path: string, onDone: () => void) {
  return useMutation({
    mutationFn: (body: object) =>
      api('POST', `/api/complaints/requests/${encodeURIComponent(reference)}/${path}`, body),
    onSuccess: onDone,
  });
}

const fieldError = (e: unknown, path: string) => (e instanceof ProblemError ? e.fieldError(path) : undefined);

/** Reassign to another office, merge a duplicate, forward to an outside agency. */
export function StaffActions({ request, onDone }: { request: RequestDetail; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const offices = useOffices();
  const reassign = useAction(request.reference, 'assignment', onDone);
  const merge = useAction(request.reference, 'merge', onDone);
  const forward = useAction(request.reference, 'forward', onDone);
  const open = openStatuses.includes(request.status);
  const read = (e: React.FormEvent<HTMLFormElement>, k: string) =>
    String(new FormData(e.currentTarget).get(k) ?? '').trim();
  return (
    <>
      <form
        noValidate
        className="inline-form"
        data-testid="queue-reassign"
        onSubmit={(e) => {
          e.preventDefault();
          reassign.mutate({ office: read(e, 'office') });
        }}
      >
        <h3>{t('complaints.queueMore.reassign')}</h3>
        <Select
          label={t('complaints.queueMore.reassignTo')}
          name="office"
          defaultValue={request.office}
          options={(offices.data ?? []).map((o) => ({
            value: o.code,
            label: i18n.language === 'th' ? o.nameTh : o.nameEn,
          }))}
        />
        {reassign.isError && <ErrorState error={reassign.error} />}
        <Button type="submit" disabled={reassign.isPending}>
          {t('complaints.queueMore.reassignSubmit')}
        </Button>
      </form>
      {open && (
        <form
          noValidate
          data-testid="queue-merge"
          onSubmit={(e) => {
            e.preventDefault();
            merge.mutate({ into: read(e, 'into').toUpperCase() });
          }}
        >
          <h3>{t('complaints.queueMore.merge')}</h3>
          <TextField
            label={t('complaints.queueMore.mergeInto')}
            name="into"
            placeholder="KK-2569-000123"
            error={fieldError(merge.error, '/into')}
          />
          {merge.isError && !fieldError(merge.error, '/into') && <ErrorState error={merge.error} />}
          <Button type="submit" variant="secondary" disabled={merge.isPending}>
            {t('complaints.queueMore.mergeSubmit')}
          </Button>
        </form>
      )}
      {request.nextStatuses?.includes('forwarded') && (
        <form
          noValidate
          data-testid="queue-forward"
          onSubmit={(e) => {
            e.preventDefault();
            forward.mutate({ agency: read(e, 'agency'), note: read(e, 'note') });
          }}
        >
          <h3>{t('complaints.queueMore.forward')}</h3>
          <TextField
            label={t('complaints.queueMore.agency')}
            name="agency"
            maxLength={200}
            error={fieldError(forward.error, '/agency')}
          />
          <TextField
            label={t('complaints.queue.note')}
            name="note"
            maxLength={4000}
            hint={t('complaints.queue.reasonHint')}
            error={fieldError(forward.error, '/note')}
          />
          {forward.isError && <ErrorState error={forward.error} />}
          <Button type="submit" variant="secondary" disabled={forward.isPending}>
            {t('complaints.queueMore.forwardSubmit')}
          </Button>
        </form>
      )}
    </>
  );
}
