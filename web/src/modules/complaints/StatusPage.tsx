import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, ProblemError } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { readReference } from '../../forms/complaint.ts';
import { PhotoThumbs } from '../../ui/PhotoPicker.tsx';
import { Badge, Card, EmptyState, ErrorState, Spinner } from '../../ui/States.tsx';
import { Aftercare } from './Aftercare.tsx';
import { PushFollow } from './PushFollow.tsx';
import { useCategories } from './ReportPage.tsx';
import { categoryName, photoUrls, type RequestDetail, type RequestEvent } from './types.ts';

/** One public line of a request's history. */
function eventText(e: RequestEvent, t: (key: string, o?: Record<string, unknown>) => string): string {
  switch (e.kind) {
    case 'created':
      return t('complaints.history.created');
    case 'status':
      return t('complaints.history.status', { status: t(`complaints.status.${e.toStatus ?? 'received'}`) });
    case 'reassigned':
      return t('complaints.history.reassigned');
    case 'priority':
      return t('complaints.history.priority');
    case 'reopened':
      return t('complaints.aftercare.history.reopened');
    case 'rated':
      return t('complaints.aftercare.history.rated');
    case 'merged':
      return t('complaints.aftercare.history.merged');
    case 'forwarded':
      return t('complaints.aftercare.history.forwarded');
    default:
      return t('complaints.history.note');
  }
}

/** The status of one complaint and its public history, for anyone who has the reference. */
export function ComplaintStatusPage() {
  const { t, i18n } = useTranslation();
  const params = useParams({ strict: false }) as { reference?: string };
  const reference = readReference(params.reference ?? '');
  const categories = useCategories();
  const request = useQuery({
    queryKey: ['complaints', 'request', reference],
    queryFn: () =>
      api<RequestDetail>('GET', `/api/complaints/requests/${encodeURIComponent(reference ?? '')}`),
    enabled: reference !== null,
    retry: (n, e) => !(e instanceof ProblemError && e.problem.status < 500) && n < 2,
  });
  const back = <Link to="/complaints">{t('complaints.view.back')}</Link>;
  if (!reference)
    return (
      <>
        <h1>{t('complaints.view.title')}</h1>
        <EmptyState>{t('complaints.find.invalid')}</EmptyState>
        {back}
      </>
    );
  if (request.isPending) return <Spinner />;
  if (request.isError)
    return (
      <>
        <h1>{t('complaints.view.title')}</h1>
        {request.error instanceof ProblemError && request.error.problem.status === 404 ? (
          <EmptyState>{t('complaints.view.notFound', { reference })}</EmptyState>
        ) : (
          <ErrorState error={request.error} onRetry={() => void request.refetch()} />
        )}
        {back}
      </>
    );
  const r = request.data;
  const history = r.events.filter((e) => e.public);
  return (
    <>
      <h1>
        {t('complaints.view.title')} <span data-testid="status-reference">{r.reference}</span>
      </h1>
      <Card>
        <p>
          <Badge tone={r.closedAt ? 'neutral' : 'info'} data-testid="status-current">
            {t(`complaints.status.${r.status}`)}
          </Badge>
        </p>
        <dl>
          <dt>{t('complaints.report.category')}</dt>
          <dd>{categoryName(categories.data, r.category, i18n.language)}</dd>
          <dt>{t('complaints.report.description')}</dt>
          {/* Empty for the public until staff approve the text (moderation); say so rather than show nothing. */}
          <dd style={{ whiteSpace: 'pre-wrap' }} data-testid="status-description">
            {r.description || t('complaintsPublic.awaitingModeration')}
          </dd>
          <dt>{t('complaints.view.where')}</dt>
          <dd>
            {r.address ? `${r.address} · ` : ''}
            {r.lat}, {r.lon}
          </dd>
          <dt>{t('complaints.view.filed')}</dt>
          <dd>{formatDate(r.createdAt, i18n.language)}</dd>
          <dt>{t('complaints.view.supporters')}</dt>
          <dd>{r.supporters}</dd>
        </dl>
        {r.photos && r.photos.length > 0 && (
          <section data-testid="status-photos">
            <h2>{t('complaints.photos.title')}</h2>
            <p className="hint">{t('complaints.photos.notPublic')}</p>
            <PhotoThumbs
              urls={photoUrls(r.reference, r.photos)}
              alt={(n, kind) => t(`complaints.photos.${kind}`, { n })}
            />
          </section>
        )}
      </Card>
      <Aftercare request={r} />
      {/* A closed complaint has nothing more to tell. */}
      {!r.closedAt && (
        <Card>
          <PushFollow reference={r.reference} />
        </Card>
      )}
      <Card>
        <h2>{t('complaints.history.title')}</h2>
        <ol data-testid="status-history">
          {history.map((e) => (
            <li key={`${e.at}-${e.kind}-${e.toStatus ?? ''}-${e.note ?? ''}`}>
              {formatDate(e.at, i18n.language)}: {eventText(e, t)}
              {e.note && <p style={{ whiteSpace: 'pre-wrap' }}>{e.note}</p>}
            </li>
          ))}
        </ol>
      </Card>
      {back}
    </>
  );
}
