import { describe, expect, it } from 'vitest';
import { unvaluedReason } from './unvalued-reason.ts';

// Echoes the key and its values, so the test sees which message was chosen and with what.
const t = ((key: string, values?: object) => `${key} ${JSON.stringify(values ?? {})}`) as never;

describe('unvaluedReason', () => {
  it("names each of the API's three reasons with the building's kind and age", () => {
    expect(unvaluedReason('no value per m² of its own and no appraisal row for its deed or zone', t)).toBe(
      'taxAssess.reasons.noLandValue {}',
    );
    expect(unvaluedReason('building "ตึกแถว" aged 12: no depreciation of its own and no table row', t)).toBe(
      'taxAssess.reasons.noDepreciation {"kind":"ตึกแถว","age":"12"}',
    );
    expect(
      unvaluedReason(
        'building "house": no cost per m² of its own and no building appraisal row for its kind',
        t,
      ),
    ).toBe('taxAssess.reasons.noCost {"kind":"house"}');
  });

  it('shows a reason it does not know as the server sent it', () => {
    expect(unvaluedReason('something new', t)).toBe('something new');
  });
});
