import 'maplibre-gl/dist/maplibre-gl.css';
import maplibregl, { type StyleSpecification } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type FeatureNames, MapFeatureList } from './MapFeatureList.tsx';

export interface MapLayer {
  id: string;
  data: GeoJSON.FeatureCollection;
  kind: 'fill' | 'line' | 'circle';
  color?: string;
  /** A feature property holding each feature's own colour (say, its air-quality band); `color` when absent. */
  colorProperty?: string;
  /** What the layer shows, for the text alternative (e.g. "Zones"). */
  title?: string;
  /** Circles: size and outline, so layers can differ by more than colour (6 and white by default). */
  radius?: number;
  stroke?: { color: string; width: number };
}

interface Props {
  layers: MapLayer[];
  /** The map's accessible name. */
  label: string;
  center?: [number, number];
  zoom?: number;
  tileUrl?: string | null;
  /** How a feature is named in the text alternative; by default nameTh/nameEn, name or id. */
  featureName?: FeatureNames;
  /** A click on the map: where, and the features under it (their `id` property) by layer. */
  onClick?: (click: { lon: number; lat: number; features: { layer: string; id: string }[] }) => void;
  /** Called with the point tapped or clicked on the map (six decimals), for picking a place. */
  onPick?: (point: { lat: number; lon: number }) => void;
}

/** Khon Kaen city centre. */
const khonKaen: [number, number] = [102.835, 16.43];
const backgroundColour = '#eef2f5';

/** A style that needs nothing from the network: a plain background, under raster tiles when configured. */
function baseStyle(tileUrl: string | null | undefined): StyleSpecification {
  return {
    version: 8,
    sources: tileUrl ? { base: { type: 'raster', tiles: [tileUrl], tileSize: 256 } } : {},
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': backgroundColour } },
      ...(tileUrl ? [{ id: 'base', type: 'raster' as const, source: 'base' }] : []),
    ],
  };
}

/**
 * A MapLibre map of GeoJSON layers. It needs no glyphs, sprites or tiles: without a tile server, or when
 * it does not answer, the layers are drawn on a plain background. A list of the features goes with it.
 */
export default function MapView({
  layers,
  label,
  center = khonKaen,
  zoom = 12,
  tileUrl,
  featureName,
  onClick,
  onPick,
}: Props) {
  const { t } = useTranslation();
  const container = useRef<HTMLElement>(null);
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  const [failed, setFailed] = useState(false);
  const [lon, lat] = center;
  const clickRef = useRef(onClick);
  clickRef.current = onClick;
  // The latest handler, so a new one does not rebuild the map.
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    if (!container.current) return;
    let m: maplibregl.Map;
    try {
      m = new maplibregl.Map({
        container: container.current,
        style: baseStyle(tileUrl),
        center: [lon, lat],
        zoom,
        attributionControl: false,
      });
    } catch {
      setFailed(true); // no WebGL: the feature list still says what the map would show
      return;
    }
    m.addControl(new maplibregl.NavigationControl({ showCompass: false }));
    m.on('click', (e) => {
      const round = (x: number) => Math.round(x * 1e6) / 1e6;
      pick.current?.({ lat: round(e.lngLat.lat), lon: round(e.lngLat.lng) });
    });
    m.on('error', (e) => {
      // The tile server is unreachable: drop the base map and keep the city's data on the background.
      if ((e as { sourceId?: string }).sourceId !== 'base') return;
      if (m.getLayer('base')) m.removeLayer('base');
      if (container.current) container.current.dataset.basemap = 'none';
    });
    const el = container.current;
    const count = () => {
      el.dataset.renderedFeatures = String(m.queryRenderedFeatures().length);
    };
    m.on('idle', count);
    m.on('click', (e) => {
      const handler = clickRef.current;
      if (!handler) return;
      const features = m
        .queryRenderedFeatures(e.point)
        .filter((f) => f.properties?.id !== undefined)
        .map((f) => ({ layer: f.layer.id, id: String(f.properties.id) }));
      handler({ lon: e.lngLat.lng, lat: e.lngLat.lat, features });
    });
    m.once('load', () => setMap(m));
    return () => {
      setMap(null);
      m.remove();
    };
  }, [tileUrl, lon, lat, zoom]);

  useEffect(() => {
    if (map) drawLayers(map, layers);
  }, [map, layers]);

  return (
    <figure className="map-figure">
      <section ref={container} className="map" aria-label={label} data-testid="map">
        {failed && <p className="map-failed">{t('map.unavailable')}</p>}
      </section>
      <figcaption>
        <MapFeatureList layers={layers} featureName={featureName} />
      </figcaption>
    </figure>
  );
}

const drawn = new WeakMap<maplibregl.Map, Set<string>>();

/** Adds, updates or removes the GeoJSON sources and layers, then fits the map to the data. */
function drawLayers(m: maplibregl.Map, layers: MapLayer[]): void {
  const before = drawn.get(m) ?? new Set<string>();
  const now = new Set(layers.map((l) => l.id));
  for (const id of before) {
    if (now.has(id)) continue;
    for (const layerId of [id, `${id}-outline`]) if (m.getLayer(layerId)) m.removeLayer(layerId);
    if (m.getSource(id)) m.removeSource(id);
  }
  drawn.set(m, now);
  const bounds = new maplibregl.LngLatBounds();
  for (const layer of layers) {
    for (const f of layer.data.features) extend(bounds, f.geometry);
    const source = m.getSource(layer.id) as maplibregl.GeoJSONSource | undefined;
    if (source) {
      source.setData(layer.data);
      continue;
    }
    m.addSource(layer.id, { type: 'geojson', data: layer.data });
    const color = layer.color ?? '#0b5394';
    const base = { id: layer.id, source: layer.id };
    if (layer.kind === 'fill') {
      m.addLayer({ ...base, type: 'fill', paint: { 'fill-color': color, 'fill-opacity': 0.15 } });
      m.addLayer({
        id: `${layer.id}-outline`,
        source: layer.id,
        type: 'line',
        paint: { 'line-color': color, 'line-width': 2 },
      });
    } else if (layer.kind === 'line') {
      m.addLayer({ ...base, type: 'line', paint: { 'line-color': color, 'line-width': 3 } });
    } else {
      m.addLayer({
        ...base,
        type: 'circle',
        paint: {
          'circle-color': layer.colorProperty ? ['coalesce', ['get', layer.colorProperty], color] : color,
          'circle-radius': layer.radius ?? 6,
          'circle-stroke-color': layer.stroke?.color ?? '#ffffff',
          'circle-stroke-width': layer.stroke?.width ?? 1.5,
        },
      });
    }
  }
  if (!bounds.isEmpty()) m.fitBounds(bounds, { padding: 24, maxZoom: 15, duration: 0 });
}

function extend(bounds: maplibregl.LngLatBounds, geometry: GeoJSON.Geometry | null): void {
  if (!geometry) return;
  if (geometry.type === 'GeometryCollection') {
    for (const g of geometry.geometries) extend(bounds, g);
    return;
  }
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') bounds.extend(c as [number, number]);
    else if (Array.isArray(c)) for (const x of c) walk(x);
  };
  walk(geometry.coordinates);
}
