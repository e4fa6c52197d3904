import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError, problemTitle } from '../../api.ts';
import { photoPayload } from '../../forms/photos.ts';
import { Button } from '../../ui/Button.tsx';
import { ConfirmRemove } from '../../ui/ConfirmRemove.tsx';
import { LazyMapView } from '../../ui/lazy.tsx';
import type { MapLayer } from '../../ui/MapView.tsx';
import { PhotoPicker } from '../../ui/PhotoPicker.tsx';
import type { ParcelDetail, SignDetail } from './register-types.ts';

/** How many corners an outline has (a closed ring repeats its first position, not counted twice). */
const corners = (b: NonNullable<ParcelDetail['boundary']>) =>
  b.coordinates.reduce((n, polygon) => n + polygon.reduce((m, ring) => m + ring.length - 1, 0), 0);

/**
 * A parcel's place: its outline and point on the map, and the same in words (coordinates and how many
 * corners the outline has) for those who do not see the map.
 */
export function ParcelPlace({ p }: { p: ParcelDetail }) {
  const { t } = useTranslation();
  const layers = useMemo(() => {
    const out: MapLayer[] = [];
    if (p.boundary)
      out.push({
        id: 'parcel-outline',
        kind: 'fill',
        title: t('tax.register.outline'),
        data: {
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              geometry: p.boundary as GeoJSON.MultiPolygon,
              properties: {
                id: p.id,
                name: t('tax.register.outlineCorners', { count: corners(p.boundary) }),
              },
            },
          ],
        },
      });
    if (p.location)
      out.push({
        id: 'parcel-point',
        kind: 'circle',
        color: '#8a1c1c',
        title: t('tax.register.point'),
        data: {
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              geometry: { type: 'Point', coordinates: [p.location.lon, p.location.lat] },
              properties: { id: p.id, name: t('tax.declare.located', p.location) },
            },
          ],
        },
      });
    return out;
  }, [p, t]);
  if (!layers.length) return <p data-testid="parcel-place">{t('tax.register.noPlace')}</p>;
  return (
    <div data-testid="parcel-place">
      <p>
        {p.location && t('tax.declare.located', p.location)}
        {p.location && p.boundary && ' · '}
        {p.boundary && t('tax.register.outlineCorners', { count: corners(p.boundary) })}
      </p>
      <LazyMapView layers={layers} label={t('tax.register.mapLabel', { deed: p.deedNo })} />
    </div>
  );
}

/** A sign's photos (a citizen's ภ.ป.1 photos first), and for finance staff a way to add more. */
export function SignPhotos({
  s,
  canEdit,
  queryKey,
}: {
  s: SignDetail;
  canEdit: boolean;
  queryKey: unknown[];
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [files, setFiles] = useState<File[]>([]);
  const [added, setAdded] = useState<number | null>(null);
  const upload = useMutation({
    mutationFn: async () =>
      api<{ photos: number }>('POST', `/api/tax/register/signs/${s.id}/photos`, {
        version: s.version,
        photos: await photoPayload(files),
      }),
    onSuccess: () => {
      setAdded(files.length);
      setFiles([]);
      void client.invalidateQueries({ queryKey });
    },
  });
  const problem = upload.error instanceof ProblemError ? upload.error.problem : null;
  const room = 5 - s.photos;
  return (
    <section aria-labelledby={`photos-${s.id}`} data-testid="sign-photos">
      <h3 id={`photos-${s.id}`}>{t('tax.register.photos', { count: s.photos })}</h3>
      {s.photos > 0 && (
        <ul className="photo-previews">
          {Array.from({ length: s.photos }, (_, i) => `/api/tax/register/signs/${s.id}/photos/${i + 1}`).map(
            (url, i) => (
              <li key={url}>
                <a href={url} target="_blank" rel="noreferrer">
                  <img
                    src={url}
                    alt={t('tax.register.photoN', { n: i + 1, text: s.text ?? '' })}
                    width={160}
                    height={120}
                    loading="lazy"
                  />
                </a>
                {canEdit && (
                  <ConfirmRemove
                    name={t('tax.register.photoName', { n: i + 1 })}
                    url={`${url}?version=${s.version}`}
                    question={t('tax.register.photoRemoveQuestion')}
                    onRemoved={() => {
                      setAdded(null);
                      void client.invalidateQueries({ queryKey });
                    }}
                  />
                )}
              </li>
            ),
          )}
        </ul>
      )}
      {added !== null && <p role="status">{t('tax.register.photosAdded', { count: added })}</p>}
      {canEdit && room > 0 && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setAdded(null);
            if (files.length) upload.mutate();
          }}
        >
          <PhotoPicker
            label={t('tax.register.addPhotos')}
            files={files}
            onChange={(f) => {
              upload.reset();
              setFiles(f.slice(0, room));
            }}
            error={problem ? (problem.errors?.[0]?.message ?? problemTitle(problem, t)) : undefined}
          />
          <Button type="submit" disabled={!files.length || upload.isPending}>
            {upload.isPending ? t('tax.edit.saving') : t('tax.register.savePhotos')}
          </Button>
        </form>
      )}
    </section>
  );
}
