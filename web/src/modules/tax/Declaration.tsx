import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import {
  checkDeclaration,
  type DeclarationErrors,
  type DeclarationField,
  insideArea,
  photoAccept,
  textLanguages,
  typeOfLanguage,
} from '../../forms/declaration.ts';
import { photoPayload } from '../../forms/photos.ts';
import { Button } from '../../ui/Button.tsx';
import { Badge, Card, EmptyState, ErrorState, Spinner } from '../../ui/States.tsx';
import { Table } from '../../ui/Table.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { useLocate } from '../../ui/useLocate.ts';

export interface DeclaredSign {
  id: string;
  ownerName: string;
  widthCm: number;
  heightCm: number;
  type: number;
  moving: boolean;
  text: string;
  status: 'declared' | 'registered' | 'rejected';
  declaredAt: string;
  photos: number;
  reviewNote: string | null;
}

const fields: DeclarationField[] = [
  '/widthCm',
  '/heightCm',
  '/textLanguage',
  '/moving',
  '/text',
  '/photos',
  '/installedOn',
  '/location',
];

/** A group of radio buttons with a legend, its error announced with it. */
function RadioGroup({
  legend,
  name,
  options,
  error,
}: {
  legend: string;
  name: string;
  options: { value: string; label: ReactNode }[];
  error?: string;
}) {
  const id = useId();
  return (
    <fieldset className="contact" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {options.map((o) => (
        <div className="check" key={o.value}>
          <input type="radio" id={`${id}-${o.value}`} name={name} value={o.value} />
          <label htmlFor={`${id}-${o.value}`}>{o.label}</label>
        </div>
      ))}
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** ภ.ป.1: a signed-in citizen declares a signboard from their phone, with photos and (optionally) where it is. */
export function DeclarationForm() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [local, setLocal] = useState<DeclarationErrors>({});
  const [location, setLocation] = useState<{ lon: number; lat: number } | null>(null);
  const { state: locating, locate } = useLocate((point) => {
    setLocation(point);
    setLocal((e) => ({
      ...e,
      '/location': insideArea(point) ? undefined : 'tax.declare.errors.outside',
    }));
  });
  const [done, setDone] = useState(false);
  const send = useMutation({
    mutationFn: (body: unknown) => api<{ id: string }>('POST', '/api/tax/declarations', body),
    onSuccess: () => {
      setDone(true);
      setLocation(null);
      formRef.current?.reset();
      void client.invalidateQueries({ queryKey: ['tax', 'declarations', 'mine'] });
    },
  });
  const server = send.error instanceof ProblemError ? send.error : null;
  const fieldError = (path: DeclarationField) => {
    const key = local[path];
    if (key) return t(key);
    return server?.fieldError(path);
  };

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(false);
    const form = event.currentTarget;
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '');
    const files = (data.getAll('photos') as File[]).filter((f) => f.size > 0);
    const checked = checkDeclaration({
      widthCm: text('widthCm'),
      heightCm: text('heightCm'),
      textLanguage: text('textLanguage'),
      moving: text('moving'),
      text: text('text'),
      photos: files.map((f) => ({ name: f.name, type: f.type, size: f.size })),
      location,
      installedOn: text('installedOn'),
    });
    if ('errors' in checked) {
      setLocal(checked.errors);
      send.reset();
      // Take the person to the first field that needs them.
      const first = fields.find((f) => checked.errors[f]);
      const name = first === '/location' ? 'locate' : first?.slice(1);
      form.querySelector<HTMLElement>(`[name="${name}"]`)?.focus();
      return;
    }
    setLocal({});
    const photos = await photoPayload(files);
    send.mutate({ ...checked.fields, photos });
  }

  return (
    <Card>
      <h2>{t('tax.declare.title')}</h2>
      <p className="hint">{t('tax.declare.lead')}</p>
      <form ref={formRef} onSubmit={submit} noValidate data-testid="declaration-form">
        <TextField
          label={t('tax.declare.width')}
          name="widthCm"
          inputMode="decimal"
          autoComplete="off"
          required
          error={fieldError('/widthCm')}
        />
        <TextField
          label={t('tax.declare.height')}
          name="heightCm"
          inputMode="decimal"
          autoComplete="off"
          required
          error={fieldError('/heightCm')}
        />
        <RadioGroup
          legend={t('tax.declare.language')}
          name="textLanguage"
          error={fieldError('/textLanguage') ?? server?.fieldError('/type')}
          options={textLanguages.map((l) => ({
            value: l,
            label: t('tax.declare.languageOption', {
              language: t(`tax.declare.languages.${l}`),
              type: typeOfLanguage(l),
            }),
          }))}
        />
        <RadioGroup
          legend={t('tax.declare.moving')}
          name="moving"
          error={fieldError('/moving')}
          options={[
            { value: 'false', label: t('tax.declare.static') },
            { value: 'true', label: t('tax.declare.movingYes') },
          ]}
        />
        <TextArea label={t('tax.declare.text')} name="text" error={fieldError('/text')} />
        <TextField
          label={t('tax.declare.photos')}
          hint={t('tax.declare.photosHint')}
          name="photos"
          type="file"
          multiple
          accept={photoAccept}
          error={fieldError('/photos')}
        />
        <TextField
          label={t('tax.declare.installedOn')}
          hint={t('tax.declare.installedOnHint')}
          name="installedOn"
          type="date"
          autoComplete="off"
          error={fieldError('/installedOn')}
        />
        <div className="field">
          <p className="hint" id="declare-location-status" role="status">
            {location
              ? t('tax.declare.located', { lat: location.lat, lon: location.lon })
              : locating === 'busy'
                ? t('tax.declare.locating')
                : locating === 'failed'
                  ? t('tax.declare.locateFailed')
                  : t('tax.declare.noLocation')}
          </p>
          <Button
            variant="secondary"
            name="locate"
            onClick={locate}
            disabled={locating === 'busy'}
            aria-describedby="declare-location-status"
          >
            {t('tax.declare.locate')}
          </Button>
          {location && (
            <Button variant="link" onClick={() => setLocation(null)}>
              {t('tax.declare.clearLocation')}
            </Button>
          )}
          {fieldError('/location') && (
            <p className="field-error" role="alert">
              {fieldError('/location')}
            </p>
          )}
        </div>
        {send.isError && <ErrorState error={send.error} />}
        <Button type="submit" disabled={send.isPending}>
          {send.isPending ? t('tax.declare.sending') : t('tax.declare.submit')}
        </Button>
        <p role="status" data-testid="declaration-done">
          {done ? t('tax.declare.done') : ''}
        </p>
      </form>
    </Card>
  );
}

function TextArea({ label, name, error }: { label: string; name: string; error?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        rows={3}
        maxLength={1000}
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** The signs the citizen has declared, and whether an officer has accepted them. */
export function MyDeclarations() {
  const { t, i18n } = useTranslation();
  const list = useQuery({
    queryKey: ['tax', 'declarations', 'mine'],
    queryFn: () => api<DeclaredSign[]>('GET', '/api/tax/declarations/mine'),
  });
  if (list.isPending) return <Spinner />;
  if (list.isError) return <ErrorState error={list.error} />;
  return (
    <Card>
      <h2>{t('tax.declarations.mine')}</h2>
      {list.data.length === 0 ? (
        <EmptyState>{t('tax.declarations.none')}</EmptyState>
      ) : (
        <ul data-testid="my-declarations">
          {list.data.map((d) => (
            <li key={d.id}>
              <Badge tone={d.status === 'declared' ? 'warn' : 'info'}>
                {t(`tax.declarations.status.${d.status}`)}
              </Badge>{' '}
              {d.text} · {t('tax.declarations.size', { width: d.widthCm, height: d.heightCm })} ·{' '}
              {formatDate(d.declaredAt, i18n.language)}
              {d.status === 'rejected' && d.reviewNote && (
                <p>{t('tax.declarations.reason', { reason: d.reviewNote })}</p>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/** Finance staff: declarations waiting for an officer; those who keep the register accept them. */
export function DeclarationQueue({ canAccept }: { canAccept: boolean }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [accepted, setAccepted] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState<DeclaredSign | null>(null);
  const [reasonError, setReasonError] = useState<string | undefined>();
  const list = useQuery({
    queryKey: ['tax', 'declarations', 'waiting'],
    queryFn: () => api<DeclaredSign[]>('GET', '/api/tax/declarations'),
  });
  const accept = useMutation({
    mutationFn: (d: DeclaredSign) => api('POST', `/api/tax/declarations/${d.id}/accept`),
    onSuccess: (_r, d) => {
      setAccepted(d.text);
      void client.invalidateQueries({ queryKey: ['tax', 'declarations', 'waiting'] });
    },
  });
  const reject = useMutation({
    mutationFn: ({ d, reason }: { d: DeclaredSign; reason: string }) =>
      api('POST', `/api/tax/declarations/${d.id}/reject`, { reason }),
    onSuccess: (_r, { d }) => {
      setAccepted(null);
      setRejecting(null);
      setRejected(d.text);
      void client.invalidateQueries({ queryKey: ['tax', 'declarations', 'waiting'] });
    },
  });
  const [rejected, setRejected] = useState<string | null>(null);
  if (list.isPending) return <Spinner />;
  if (list.isError) return <ErrorState error={list.error} />;
  return (
    <Card>
      <h2>{t('tax.declarations.waiting')}</h2>
      <p role="status">
        {accepted
          ? t('tax.declarations.accepted', { text: accepted })
          : rejected
            ? t('tax.declarations.rejected', { text: rejected })
            : ''}
      </p>
      {accept.isError && <ErrorState error={accept.error} />}
      {rejecting && (
        <form
          data-testid="reject-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const reason = String(new FormData(e.currentTarget).get('reason') ?? '').trim();
            if (!reason) {
              setReasonError(t('form.errors.required'));
              e.currentTarget.querySelector<HTMLElement>('[name="reason"]')?.focus();
              return;
            }
            setReasonError(undefined);
            reject.mutate({ d: rejecting, reason });
          }}
        >
          <TextField
            label={t('tax.declarations.reasonLabel', { text: rejecting.text })}
            name="reason"
            maxLength={1000}
            required
            autoFocus
            error={reasonError}
          />
          {reject.isError && <ErrorState error={reject.error} />}
          <div className="inline-form">
            <Button type="submit" variant="danger" disabled={reject.isPending}>
              {t('tax.declarations.reject')}
            </Button>
            <Button variant="secondary" onClick={() => setRejecting(null)}>
              {t('tax.declarations.cancel')}
            </Button>
          </div>
        </form>
      )}
      {list.data.length === 0 ? (
        <EmptyState>{t('tax.declarations.noneWaiting')}</EmptyState>
      ) : (
        <Table
          caption={t('tax.declarations.waiting')}
          rows={list.data}
          rowKey={(d) => d.id}
          columns={[
            {
              key: 'at',
              header: t('tax.declarations.declaredAt'),
              cell: (d) => formatDate(d.declaredAt, i18n.language),
              sortValue: (d) => d.declaredAt,
            },
            { key: 'owner', header: t('tax.declarations.owner'), cell: (d) => d.ownerName },
            { key: 'text', header: t('tax.declare.text'), cell: (d) => d.text },
            {
              key: 'size',
              header: t('tax.declarations.sizeHeader'),
              cell: (d) => t('tax.declarations.size', { width: d.widthCm, height: d.heightCm }),
            },
            {
              key: 'type',
              header: t('tax.declare.type'),
              cell: (d) => `${d.type} · ${d.moving ? t('tax.declare.movingYes') : t('tax.declare.static')}`,
            },
            {
              key: 'photos',
              header: t('tax.declarations.photos'),
              cell: (d) =>
                Array.from(
                  { length: d.photos },
                  (_, i) => `/api/tax/declarations/${d.id}/photos/${i + 1}`,
                ).map((url, i) => (
                  <a key={url} href={url} target="_blank" rel="noopener">
                    <img
                      src={url}
                      width={72}
                      height={72}
                      loading="lazy"
                      style={{ objectFit: 'cover' }}
                      alt={t('tax.declarations.photoAlt', { n: i + 1, text: d.text })}
                    />
                  </a>
                )),
            },
            ...(canAccept
              ? [
                  {
                    key: 'accept',
                    header: t('tax.declarations.action'),
                    cell: (d: DeclaredSign) => (
                      <div className="inline-form">
                        <Button
                          variant="secondary"
                          onClick={() => accept.mutate(d)}
                          disabled={accept.isPending}
                          aria-label={t('tax.declarations.acceptLabel', { text: d.text })}
                        >
                          {t('tax.declarations.accept')}
                        </Button>
                        <Button
                          variant="secondary"
                          onClick={() => {
                            setReasonError(undefined);
                            setRejecting(d);
                          }}
                          aria-label={t('tax.declarations.rejectLabel', { text: d.text })}
                        >
                          {t('tax.declarations.reject')}
                        </Button>
                      </div>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
    </Card>
  );
}
