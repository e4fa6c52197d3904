import { describe, expect, it } from 'vitest';
import { BoundaryError, maxPositions, readBoundaryText, wktToGeoJson } from './boundary.ts';

const problem = (text: string) => {
  try {
    readBoundaryText(text);
  } catch (e) {
    if (e instanceof BoundaryError) return e.problem;
    throw e;
  }
  return 'none';
};

describe('reading a parcel outline from an import cell', () => {
  it('reads WKT polygons with holes and multipolygons, in any case and spacing', () => {
    expect(wktToGeoJson('polygon((1 2,3 4,5 6,1 2),(7 8, 9 10, 11 12, 7 8))')).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [1, 2],
          [3, 4],
          [5, 6],
          [1, 2],
        ],
        [
          [7, 8],
          [9, 10],
          [11, 12],
          [7, 8],
        ],
      ],
    });
    expect(wktToGeoJson(' MULTIPOLYGON ( ( ( 1.5e1 -2 , 3 4 , 5 6 , 1.5e1 -2 ) ) ) ')?.coordinates).toEqual([
      [
        [
          [15, -2],
          [3, 4],
          [5, 6],
          [15, -2],
        ],
      ],
    ]);
    expect(wktToGeoJson('POINT (1 2)')).toBeUndefined();
    expect(wktToGeoJson('POLYGON ((1 2, 3 4)); DROP TABLE x')).toBeUndefined();
    expect(wktToGeoJson('POLYGON ((1 2 3, 4 5 6))')).toBeUndefined();
  });

  it('says what is wrong with each kind of bad outline', () => {
    const ring = '102.83 16.43, 102.84 16.43, 102.84 16.44, 102.83 16.43';
    expect(problem(`POLYGON ((${ring}))`)).toBe('none');
    expect(
      problem(
        `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[102.83,16.43],[102.84,16.43],[102.84,16.44],[102.83,16.43]]]}}`,
      ),
    ).toBe('none');
    expect(problem('{"type":"Polygon",')).toBe('unreadable');
    expect(problem('LINESTRING (1 2, 3 4)')).toBe('unreadable');
    expect(problem('{"type":"Point","coordinates":[102.83,16.43]}')).toBe('shape');
    expect(problem('{"type":"Feature","geometry":null}')).toBe('shape');
    expect(problem('POLYGON ((102.83 16.43, 102.84 16.43, 102.83 16.43))')).toBe('ring_short');
    expect(problem('POLYGON ((102.83 16.43, 102.84 16.43, 102.84 16.44, 102.83 16.44))')).toBe('ring_open');
    expect(problem('POLYGON ((100.5 13.7, 100.6 13.7, 100.6 13.8, 100.5 13.7))')).toBe('outside');
    const many = Array.from({ length: maxPositions + 1 }, () => '102.83 16.43').join(', ');
    expect(problem(`POLYGON ((${many}))`)).toBe('too_many_points');
  });
});
