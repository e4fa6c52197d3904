import { describe, expect, it } from 'vitest';
import { readLanes } from './lanes-file.ts';

const fc = (properties: Record<string, unknown>) => ({
  type: 'FeatureCollection' as const,
  features: [
    {
      type: 'Feature' as const,
      properties,
      geometry: {
        type: 'LineString' as const,
        coordinates: [
          [102.83, 16.43],
          [102.84, 16.44],
        ],
      },
    },
  ],
});

describe('reading a lane file', () => {
  it('refuses names with control characters and accepts Thai, tabs trimmed', () => {
    expect(readLanes(fc({ name: 'bad\u0007name' })).errors).toEqual([
      { path: '/features/0/properties', message: { key: 'cycling.name_needed' } },
    ]);
    expect(readLanes(fc({ name: 'del\u007f' })).errors).toHaveLength(1);
    const ok = readLanes(fc({ name_th: '\tถนนมิตรภาพ ', name_en: 'Mittraphap' }));
    expect(ok.errors).toEqual([]);
    expect(ok.lanes[0]).toMatchObject({ nameTh: 'ถนนมิตรภาพ', nameEn: 'Mittraphap', kind: 'painted' });
  });
});
