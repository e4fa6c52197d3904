import { describe, expect, it } from 'vitest';
import type { NgsiError } from './errors.ts';
import { parseGeoQuery, parseGeoRel } from './geo.ts';

const problem = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as NgsiError).problem;
  }
  return 'no error';
};

describe('geo-queries', () => {
  it('parses every georel', () => {
    expect(parseGeoRel('near;maxDistance==2000')).toEqual({
      kind: 'near',
      bound: 'maxDistance',
      metres: 2000,
    });
    expect(parseGeoRel('near;minDistance==10.5')).toEqual({
      kind: 'near',
      bound: 'minDistance',
      metres: 10.5,
    });
    for (const r of ['within', 'contains', 'intersects', 'equals', 'disjoint', 'overlaps'])
      expect(parseGeoRel(r)).toEqual({ kind: r });
  });

  it('reads geometry and coordinates into GeoJSON', () => {
    const g = parseGeoQuery({
      georel: 'within',
      geometry: 'Polygon',
      coordinates: '[[[102.8,16.4],[102.9,16.4],[102.9,16.5],[102.8,16.4]]]',
    });
    expect(g?.geometry.type).toBe('Polygon');
    expect(g?.geoproperty).toBe('location');
    expect(
      parseGeoQuery({ georel: 'near;maxDistance==5', geometry: 'Point', coordinates: '102.8,16.4' })
        ?.geometry,
    ).toEqual({
      type: 'Point',
      coordinates: [102.8, 16.4],
    });
    expect(parseGeoQuery({})).toBeNull();
  });

  it.each([
    [{ georel: 'near', geometry: 'Point', coordinates: '[1,2]' }],
    [{ georel: 'near;maxDistance==-1', geometry: 'Point', coordinates: '[1,2]' }],
    [{ georel: 'near;farDistance==1', geometry: 'Point', coordinates: '[1,2]' }],
    [{ georel: 'inside', geometry: 'Point', coordinates: '[1,2]' }],
    [{ georel: 'within', geometry: 'Point' }],
    [{ georel: 'within', geometry: 'Circle', coordinates: '[1,2]' }],
    [{ georel: 'within', geometry: 'Point', coordinates: '[200,2]' }],
    [{ georel: 'within', geometry: 'Point', coordinates: '[1,"2"]' }],
    [{ georel: 'within', geometry: 'Point', coordinates: 'not json' }],
    [{ georel: 'within', geometry: 'LineString', coordinates: '[[1,2]]' }],
    [{ georel: 'within', geometry: 'Polygon', coordinates: '[[[1,2],[2,2],[2,3],[1,3]]]' }],
  ])('refuses %j as BadRequestData', (params) => {
    expect(problem(() => parseGeoQuery(params))).toBe('BadRequestData');
  });
});
