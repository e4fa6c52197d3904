import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError } from '../api.ts';
import { readDegrees } from '../forms/complaint.ts';
import { useMeta } from '../session.ts';
import { LazyMapView } from './lazy.tsx';
import type { MapLayer } from './MapView.tsx';

interface Located {
  zone: { code: string; nameTh: string; nameEn: string };
  community: { code: string; nameTh: string; nameEn: string } | null;
}

/** The typed point, when both numbers are plain decimals in range. */
export function typedPoint(lat: string, lon: string): { lat: number; lon: number } | null {
  const y = readDegrees(lat);
  const x = readDegrees(lon);
  if (y === null || x === null || Math.abs(y) > 90 || Math.abs(x) > 180) return null;
  return { lat: y, lon: x };
}

/** What the picker says: the hint above the map, the map's accessible name and the pin's name. */
export interface PlacePickerText {
  hint: string;
  map: string;
  pin: string;
}

/**
 * Tap the map to place or move the pin. The form's latitude and longitude fields remain the keyboard
 * way to give the place; both show the zone and community the point falls in. Used by every form that
 * takes a point (complaints, energy buildings, flood shelters), each with its own words.
 */
export function PlacePicker({
  lat,
  lon,
  onPick,
  text,
}: {
  lat: string;
  lon: string;
  onPick: (point: { lat: number; lon: number }) => void;
  text: PlacePickerText;
}) {
  const meta = useMeta().data;
  const point = typedPoint(lat, lon);
  const py = point?.lat;
  const px = point?.lon;
  const layers = useMemo<MapLayer[]>(
    () =>
      py !== undefined && px !== undefined
        ? [
            {
              id: 'picked-pin',
              kind: 'circle',
              color: '#b3261e',
              radius: 9,
              stroke: { color: '#ffffff', width: 3 },
              title: text.pin,
              data: {
                type: 'FeatureCollection',
                features: [
                  {
                    type: 'Feature',
                    properties: { name: `${py}, ${px}` },
                    geometry: { type: 'Point', coordinates: [px, py] },
                  },
                ],
              },
            },
          ]
        : [],
    [py, px, text.pin],
  );
  return (
    <div className="place-picker">
      <p className="hint">{text.hint}</p>
      <LazyMapView
        layers={layers}
        label={text.map}
        tileUrl={meta?.map.tileUrl}
        center={meta?.map.center}
        zoom={meta?.map.zoom ?? 13}
        onPick={onPick}
      />
      <PlaceInfo point={point} />
    </div>
  );
}

/** Where the point falls, from the API; outside the city, the API's own words. */
function PlaceInfo({ point }: { point: { lat: number; lon: number } | null }) {
  const { t, i18n } = useTranslation();
  const found = useQuery({
    queryKey: ['org', 'locate', point?.lat, point?.lon],
    queryFn: () => api<Located>('GET', `/api/org/locate?lat=${point!.lat}&lon=${point!.lon}`),
    enabled: point !== null,
    retry: false,
    staleTime: 600_000,
  });
  const name = (a: { nameTh: string; nameEn: string }) => (i18n.language === 'th' ? a.nameTh : a.nameEn);
  let text = t('map.place.none');
  if (point && found.isPending) text = t('map.place.resolving');
  else if (point && found.data)
    text = t('map.place.inside', {
      zone: name(found.data.zone),
      community: found.data.community ? name(found.data.community) : t('map.place.noCommunity'),
    });
  else if (point && found.error instanceof ProblemError && found.error.problem.status === 404)
    text = found.error.problem.title || t('map.place.outside');
  else if (point && found.isError) text = t('map.place.unknown');
  return (
    <p className="hint" role="status" data-testid="place-where">
      {text}
    </p>
  );
}
