import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import {
  type ComplaintErrors,
  type ComplaintField,
  checkComplaint,
  descriptionLeft,
  maxDescription,
  readReference,
} from '../../forms/complaint.ts';
import { photoPayload } from '../../forms/photos.ts';
import { useMe } from '../../session.ts';
import { Button } from '../../ui/Button.tsx';
import { PhotoPicker, photoProblem } from '../../ui/PhotoPicker.tsx';
import { PlacePicker } from '../../ui/PlacePicker.tsx';
import { Badge, Card, EmptyState, ErrorState, Spinner } from '../../ui/States.tsx';
import { Select, TextField } from '../../ui/TextField.tsx';
import { useLocate } from '../../ui/useLocate.ts';
import { findNearby, NearbyCheck, type NearbyRequest } from './NearbyCheck.tsx';
import { type Category, categoryName, type PublicRequest, type RequestDetail } from './types.ts';

const fields: ComplaintField[] = [
  '/category',
  '/description',
  '/lat',
  '/lon',
  '/address',
  '/contact/name',
  '/contact/email',
  '/contact/phone',
];
/** The form control's name for each field path. */
const inputName = (f: ComplaintField) =>
  f.replace('/contact/', 'contact_').slice(f.startsWith('/contact/') ? 0 : 1);

export const useCategories = () =>
  useQuery({
    queryKey: ['complaints', 'categories'],
    queryFn: () => api<Category[]>('GET', '/api/complaints/categories'),
    staleTime: 300_000,
  });

/** "You Pee" (อยู่พี่): report a problem from a phone, follow a reference, and list one's own reports. */
export function ComplaintsPage() {
  const { t } = useTranslation();
  const me = useMe();
  if (me.isPending) return <Spinner />;
  return (
    <>
      <h1>{t('complaints.title')}</h1>
      <p className="hint">{t('complaints.lead')}</p>
      {me.data && me.data.role !== 'citizen' && (
        <p>
          <Link to="/complaints/queue">{t('complaints.queue.open')}</Link>
        </p>
      )}
      <ReportForm signedIn={!!me.data} />
      <FindReference />
      {me.data && <MyReports />}
    </>
  );
}

function ReportForm({ signedIn }: { signedIn: boolean }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const categories = useCategories();
  const formRef = useRef<HTMLFormElement>(null);
  const descriptionId = useId();
  const [local, setLocal] = useState<ComplaintErrors>({});
  const [description, setDescription] = useState('');
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [nearby, setNearby] = useState<{ items: NearbyRequest[]; body: object } | null>(null);
  const {
    state: locating,
    setState: setLocating,
    locate,
  } = useLocate((point) => {
    setLat(String(point.lat));
    setLon(String(point.lon));
    setLocal((e) => ({ ...e, '/lat': undefined, '/lon': undefined }));
  });
  const send = useMutation({
    mutationFn: (body: unknown) => api<RequestDetail>('POST', '/api/complaints/requests', body),
    onSuccess: () => {
      setDescription('');
      setLat('');
      setLon('');
      setPhotos([]);
      setLocating('idle');
      formRef.current?.reset();
      void client.invalidateQueries({ queryKey: ['complaints', 'mine'] });
    },
  });
  const server = send.error instanceof ProblemError ? send.error : null;
  const fieldError = (path: ComplaintField) => {
    const key = local[path];
    if (key) return t(key);
    return server?.fieldError(path);
  };

  const photoError = photoProblem(send.error);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '');
    const checked = checkComplaint({
      category: text('category'),
      description,
      lat,
      lon,
      address: text('address'),
      signedIn,
      name: text('contact_name'),
      email: text('contact_email'),
      phone: text('contact_phone'),
    });
    if ('errors' in checked) {
      setLocal(checked.errors);
      send.reset();
      // Take the person to the first field that needs them.
      const first = fields.find((f) => checked.errors[f]);
      if (first) form.querySelector<HTMLElement>(`[name="${inputName(first)}"]`)?.focus();
      return;
    }
    setLocal({});
    const body = checked.body;
    // "+1 before filing": the same problem may be reported already; the check is a courtesy, so a
    // failure of it does not stop the report.
    const same = await findNearby(body.category, body.lat, body.lon).catch(() => []);
    if (same.length > 0) {
      send.reset();
      setNearby({ items: same, body });
      return;
    }
    await sendBody(body);
  }

  async function sendBody(body: object) {
    setNearby(null);
    send.mutate(photos.length ? { ...body, photos: await photoPayload(photos) } : body);
  }

  function picked(point: { lat: number; lon: number }) {
    setLat(String(point.lat));
    setLon(String(point.lon));
    setLocating('idle');
    setLocal((e) => ({ ...e, '/lat': undefined, '/lon': undefined }));
  }

  const left = descriptionLeft(description);
  const descriptionError = fieldError('/description');
  const options = [
    { value: '', label: t('complaints.report.choose') },
    ...(categories.data ?? []).map((c) => ({
      value: c.code,
      label: i18n.language === 'th' ? c.nameTh : c.nameEn,
    })),
  ];

  return (
    <Card>
      <h2>{t('complaints.report.title')}</h2>
      {categories.isError && (
        <ErrorState error={categories.error} onRetry={() => void categories.refetch()} />
      )}
      <form ref={formRef} onSubmit={submit} noValidate data-testid="complaint-form">
        <Select
          label={t('complaints.report.category')}
          name="category"
          options={options}
          required
          error={fieldError('/category')}
        />
        <div className="field">
          <label htmlFor={descriptionId}>{t('complaints.report.description')}</label>
          <textarea
            id={descriptionId}
            name="description"
            rows={5}
            maxLength={maxDescription}
            required
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            aria-invalid={descriptionError ? true : undefined}
            aria-describedby={[`${descriptionId}-count`, descriptionError ? `${descriptionId}-error` : '']
              .filter(Boolean)
              .join(' ')}
          />
          <p id={`${descriptionId}-count`} className="hint" aria-live="polite">
            {t('complaints.report.left', { count: left })}
          </p>
          {descriptionError && (
            <p id={`${descriptionId}-error`} className="field-error" role="alert">
              {descriptionError}
            </p>
          )}
        </div>
        <fieldset className="contact">
          <legend>{t('complaints.report.location')}</legend>
          <p className="hint" id="complaint-location-status" role="status">
            {locating === 'busy'
              ? t('complaints.report.locating')
              : locating === 'failed'
                ? t('complaints.report.locateFailed')
                : locating === 'found'
                  ? t('complaints.report.located')
                  : t('complaints.report.locationHint')}
          </p>
          <Button
            variant="secondary"
            name="locate"
            onClick={locate}
            disabled={locating === 'busy'}
            aria-describedby="complaint-location-status"
          >
            {t('complaints.report.locate')}
          </Button>
          <PlacePicker
            lat={lat}
            lon={lon}
            onPick={picked}
            text={{
              hint: t('complaints.pick.hint'),
              map: t('complaints.pick.map'),
              pin: t('complaints.pick.pin'),
            }}
          />
          <TextField
            label={t('complaints.report.lat')}
            name="lat"
            inputMode="decimal"
            autoComplete="off"
            value={lat}
            onChange={(e) => setLat(e.target.value)}
            error={fieldError('/lat')}
          />
          <TextField
            label={t('complaints.report.lon')}
            name="lon"
            inputMode="decimal"
            autoComplete="off"
            value={lon}
            onChange={(e) => setLon(e.target.value)}
            error={fieldError('/lon')}
          />
          <TextField
            label={t('complaints.report.address')}
            name="address"
            maxLength={500}
            autoComplete="off"
            error={fieldError('/address')}
          />
        </fieldset>
        <PhotoPicker
          label={t('complaints.photos.label')}
          files={photos}
          onChange={setPhotos}
          error={photoError}
        />
        {!signedIn && (
          <fieldset className="contact">
            <legend>{t('complaints.report.contact')}</legend>
            <p className="hint">{t('complaints.report.contactHint')}</p>
            <TextField
              label={t('complaints.report.name')}
              name="contact_name"
              autoComplete="name"
              maxLength={200}
              error={fieldError('/contact/name')}
            />
            <TextField
              label={t('form.emailOnly')}
              name="contact_email"
              type="email"
              autoComplete="email"
              error={fieldError('/contact/email')}
            />
            <TextField
              label={t('form.phone')}
              hint={t('form.phoneHint')}
              name="contact_phone"
              type="tel"
              autoComplete="tel"
              error={fieldError('/contact/phone')}
            />
          </fieldset>
        )}
        {send.isError && !photoError && <ErrorState error={send.error} />}
        {nearby ? (
          <NearbyCheck
            items={nearby.items}
            signedIn={signedIn}
            onFileAnyway={() => void sendBody(nearby.body)}
            onCancel={() => setNearby(null)}
          />
        ) : (
          <Button type="submit" disabled={send.isPending || !categories.data}>
            {send.isPending ? t('complaints.report.sending') : t('complaints.report.submit')}
          </Button>
        )}
        <div role="status" data-testid="complaint-done">
          {send.data && (
            <p>
              {t('complaints.report.done')}{' '}
              <strong data-testid="complaint-reference">{send.data.reference}</strong>{' '}
              <Link to="/complaints/$reference" params={{ reference: send.data.reference }}>
                {t('complaints.report.follow')}
              </Link>
            </p>
          )}
        </div>
      </form>
    </Card>
  );
}

/** Open the status page of a reference someone kept (e.g. on a slip of paper or in a message). */
function FindReference() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [error, setError] = useState<string | undefined>();
  return (
    <Card>
      <h2>{t('complaints.find.title')}</h2>
      <form
        noValidate
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const reference = readReference(String(new FormData(e.currentTarget).get('reference') ?? ''));
          if (!reference) {
            setError(t('complaints.find.invalid'));
            e.currentTarget.querySelector<HTMLElement>('[name="reference"]')?.focus();
            return;
          }
          setError(undefined);
          void navigate({ to: '/complaints/$reference', params: { reference } });
        }}
      >
        <TextField
          label={t('complaints.find.reference')}
          hint={t('complaints.find.hint')}
          name="reference"
          autoComplete="off"
          error={error}
        />
        <Button type="submit" variant="secondary">
          {t('complaints.find.open')}
        </Button>
      </form>
    </Card>
  );
}

function MyReports() {
  const { t, i18n } = useTranslation();
  const categories = useCategories();
  const list = useQuery({
    queryKey: ['complaints', 'mine'],
    queryFn: () =>
      api<{ items: PublicRequest[]; total: number }>(
        'GET',
        '/api/complaints/requests/mine?page=1&pageSize=50',
      ),
  });
  if (list.isPending) return <Spinner />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <Card>
      <h2>{t('complaints.mine.title')}</h2>
      {list.data.items.length === 0 ? (
        <EmptyState>{t('complaints.mine.none')}</EmptyState>
      ) : (
        <>
          {list.data.total > list.data.items.length && (
            <p className="hint">
              {t('complaints.mine.latest', { shown: list.data.items.length, total: list.data.total })}
            </p>
          )}
          <ul data-testid="my-complaints">
            {list.data.items.map((r) => (
              <li key={r.reference}>
                <Link to="/complaints/$reference" params={{ reference: r.reference }}>
                  {r.reference}
                </Link>{' '}
                <Badge tone={r.closedAt ? 'neutral' : 'info'}>{t(`complaints.status.${r.status}`)}</Badge>{' '}
                {categoryName(categories.data, r.category, i18n.language)} ·{' '}
                {formatDate(r.createdAt, i18n.language)}
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
