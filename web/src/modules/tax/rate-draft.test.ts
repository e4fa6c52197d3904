import { describe, expect, it } from 'vitest';
import { fromDraft, getAt, type RateRecord, readNumber, setAt, toDraft } from './rate-draft.ts';

const bands = [
  { fromBaht: 0, ratePercent: 0.3 },
  { fromBaht: 50_000_000, ratePercent: 0.4 },
];
const record: RateRecord = {
  landBuilding: {
    agriculture: bands,
    residentialMainHome: bands,
    residentialOther: bands,
    other: bands,
    vacant: bands,
    vacantSurchargePercentPer3Years: 0.3,
    vacantMaxPercent: 3,
    exemptions: {
      mainHomeOwnerOfLandAndBuilding: 50_000_000,
      mainHomeBuildingOnly: 10_000_000,
      agricultureIndividual: 50_000_000,
    },
  },
  sign: {
    per500cm2: { 1: { moving: 10, static: 5 }, 2: { moving: 52, static: 26 }, 3: { moving: 52, static: 50 } },
    minimumBaht: 200,
  },
  late: {
    landBuilding: { surchargePercentPerMonth: 1, penaltyPercent: 40 },
    sign: {
      surchargePercentPerMonth: 2,
      penaltyPercent: 0,
      lateFilingPercent: 10,
      lateFilingBeforeNoticePercent: 5,
      understatementPercent: 10,
    },
  },
  instalments: { minimumBaht: 3000, count: 3 },
  reductionPercent: 0,
  source: 'Ordinance',
};

describe('rate draft', () => {
  it('goes to text and back unchanged, dropping who changed it and the bills', () => {
    const stored = { ...record, taxYear: 2569, updatedAt: 'x', updatedBy: null, bills: 3 };
    const draft = toDraft(stored);
    expect(getAt(draft, '/landBuilding/other/1/fromBaht')).toBe('50000000');
    expect(fromDraft(draft)).toEqual({ record, errors: {} });
  });

  it('reads numbers as people type them, and names each field that is not one by its pointer', () => {
    expect(readNumber('5,000,000')).toBe(5_000_000);
    expect(readNumber(' 0.15 ')).toBe(0.15);
    expect(readNumber('0.')).toBe(0);
    expect(readNumber('-1')).toBe(-1);
    for (const bad of ['', 'abc', '1.2.3', '1e3', '--1']) expect(readNumber(bad)).toBeUndefined();
    let draft = setAt(toDraft(record), '/landBuilding/other/0/ratePercent', 'x');
    draft = setAt(draft, '/sign/per500cm2/2/static', '');
    draft = setAt(draft, '/source', '  Ordinance 2570  ');
    expect(fromDraft(draft)).toEqual({
      errors: {
        '/landBuilding/other/0/ratePercent': 'tax.rates.errors.number',
        '/sign/per500cm2/2/static': 'tax.rates.errors.number',
      },
    });
    expect(fromDraft(setAt(toDraft(record), '/source', '  Ordinance 2570  ')).record?.source).toBe(
      'Ordinance 2570',
    );
  });

  it('sets a value without changing the draft it was given', () => {
    const draft = toDraft(record);
    const changed = setAt(draft, '/reductionPercent', '50');
    expect(getAt(draft, '/reductionPercent')).toBe('0');
    expect(getAt(changed, '/reductionPercent')).toBe('50');
  });
});
