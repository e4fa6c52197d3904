import 'maplibre-gl/dist/maplibre-gl.css';
import maplibregl, { type StyleSpecification } from 'maplibre-gl';
import { useEffect, useRef } from 'react';

export interface MapLayer {
  id: string;
  data: GeoJSON.FeatureCollection;
  kind: 'fill' | 'line' | 'circle';
  color?: string;
}

interface Props {
  layers: MapLayer[];
  label: string;
  center?: [number, number];
  zoom?: number;
  tileUrl?: string | null;
}

const background = '#eef2f5';

/** A base style that needs nothing from the network: a plain background, plus raster tiles when configured. */
function baseStyle(tileUrl: string | null | undefined): StyleSpecification {
  return {
    version: 8,
    sources: tileUrl ? { base: { type: 'raster', tiles: [tileUrl], tileSize: 256 } } : {},
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': background } },
      ...(tileUrl ? [{ id: 'base', type: 'raster' as const, source: 'base' }] : []),
    ],
  };
}

/** MapLibre map of GeoJSON layers; it keeps working, on a plain background, when no tile server answers. */
export default function MapView({ layers, label, center = [102.835, 16.425], zoom = 12, tileUrl }: Props) {
  const container = useRef<HTMLElement>(null);
  const map = useRef<maplibregl.Map | null>(null);

  useEffect(() => {
    if (!container.current) return;
    const m = new maplibregl.Map({
      container: container.current,
      style: baseStyle(tileUrl),
      center,
      zoom,
      attributionControl: false,
    });
    map.current = m;
    m.addControl(new maplibregl.NavigationControl({ showCompass: false }));
    m.on('error', (e) => {
      // The tile server is unreachable: drop the base layer and keep the city data on the background.
      if ((e as { sourceId?: string }).sourceId === 'base' && m.getLayer('base')) m.removeLayer('base');
    });
    return () => m.remove();
  }, [tileUrl, center, zoom]);

  useEffect(() => {
    const m = map.current;
    if (!m) return;
    const apply = () => {
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
        if (layer.kind === 'fill') {
          m.addLayer({
            id: layer.id,
            type: 'fill',
            source: layer.id,
            paint: { 'fill-color': color, 'fill-opacity': 0.15 },
          });
          m.addLayer({
            id: `${layer.id}-outline`,
            type: 'line',
            source: layer.id,
            paint: { 'line-color': color, 'line-width': 2 },
          });
        } else if (layer.kind === 'line') {
          m.addLayer({
            id: layer.id,
            type: 'line',
            source: layer.id,
            paint: { 'line-color': color, 'line-width': 3 },
          });
        } else {
          m.addLayer({
            id: layer.id,
            type: 'circle',
            source: layer.id,
            paint: { 'circle-color': color, 'circle-radius': 6 },
          });
        }
      }
    };
    if (m.isStyleLoaded()) apply();
    else m.once('load', apply);
    // Says how many features are drawn, for assistive summaries and browser tests.
    const count = () => {
      if (container.current)
        container.current.dataset.renderedFeatures = String(m.queryRenderedFeatures().length);
    };
    m.on('idle', count);
    return () => {
      m.off('idle', count);
    };
  }, [layers]);

  return <section ref={container} className="map" aria-label={label} data-testid="map" />;
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
