import { describe, expect, it } from 'vitest';
import {
  buildingPatch,
  buildingValues,
  fieldOf,
  type ParcelNow,
  parcelPatch,
  parcelValues,
  raiNganWa,
  signPatch,
  signValues,
} from './register-edit.ts';

const owner = '3109900770017';
const other = '0105550770023';
const parcel: ParcelNow = {
  ownerTaxId: owner,
  areaM2: 1000,
  valuePerM2: 1000,
  appraisalZone: null,
  appraisalBlock: null,
  uses: [
    { use: 'residential', sharePercent: 50, mainHome: 'land-and-building' },
    { use: 'other', sharePercent: 50 },
  ],
};

describe('register edit form', () => {
  it('shows an area in rai, ngan and square wa', () => {
    expect(raiNganWa(1000)).toEqual({ rai: 0, ngan: 2, wa: 50 });
    expect(raiNganWa(1600)).toEqual({ rai: 1, ngan: 0, wa: 0 });
    expect(raiNganWa(3210.5)).toEqual({ rai: 2, ngan: 0, wa: 2.63 });
  });

  it('sends nothing when nothing changed, and only what changed otherwise', () => {
    expect(parcelPatch(parcel, parcelValues(parcel), 4)).toEqual({ unchanged: true });
    const v = { ...parcelValues(parcel), ownerTaxId: '0-1055-50770-02-3', valuePerM2Baht: '', wa: '60' };
    expect(parcelPatch(parcel, v, 4)).toEqual({
      patch: { version: 4, ownerTaxId: other, valuePerM2Baht: null, area: { rai: 0, ngan: 2, wa: 60 } },
    });
  });

  it('changes uses, dropping a main home from a use that is no longer residential', () => {
    const v = { ...parcelValues(parcel), use0: 'agriculture', share0: '70', share1: '30' };
    expect(parcelPatch(parcel, v, 1)).toEqual({
      patch: {
        version: 1,
        uses: [
          { use: 'agriculture', sharePercent: 70 },
          { use: 'other', sharePercent: 30 },
        ],
      },
    });
  });

  it('explains the ugly input beside its field', () => {
    const v = {
      ...parcelValues(parcel),
      ownerTaxId: '3109900770012',
      ngan: '4',
      share0: '60',
      appraisalBlock: 'B1',
      use1: 'castle',
    };
    expect(parcelPatch(parcel, v, 1)).toEqual({
      errors: {
        ownerTaxId: 'tax.edit.errors.taxId.checkDigit',
        ngan: 'tax.edit.errors.number',
        appraisalZone: 'tax.edit.errors.zoneForBlock',
        use1: 'tax.edit.errors.use',
        share0: 'tax.edit.errors.shares',
      },
    });
    const zero = { ...parcelValues(parcel), rai: '0', ngan: '0', wa: '0' };
    expect(parcelPatch(parcel, zero, 1)).toEqual({ errors: { rai: 'tax.edit.errors.area' } });
    expect(parcelPatch(parcel, { ...parcelValues(parcel), ownerTaxId: "1' OR '1'='1" }, 1)).toEqual({
      errors: { ownerTaxId: 'tax.edit.errors.taxId.characters' },
    });
  });

  it('clears a building cost to the Treasury table, and checks numbers', () => {
    const b = {
      buildingNo: 'B1',
      kind: 'ตึก',
      floorAreaM2: 120,
      costPerM2Baht: 9000,
      ageYears: 10,
      depreciationPercent: 20,
    };
    expect(buildingPatch(b, { ...buildingValues(b), costPerM2Baht: ' ', ageYears: '11' }, 2)).toEqual({
      patch: { version: 2, costPerM2Baht: null, ageYears: 11 },
    });
    expect(
      buildingPatch(b, { ...buildingValues(b), ageYears: '1.5', floorAreaM2: '0', kind: '' }, 2),
    ).toEqual({
      errors: {
        ageYears: 'tax.edit.errors.number',
        floorAreaM2: 'tax.edit.errors.number',
        kind: 'form.errors.required',
      },
    });
  });

  it('corrects a sign', () => {
    const s = { ownerTaxId: owner, widthCm: 200, heightCm: 100, type: 1, moving: false, text: 'ร้าน' };
    expect(signPatch(s, { ...signValues(s), text: '', type: '3', widthCm: '1,250.5' }, 3)).toEqual({
      patch: { version: 3, widthCm: 1250.5, type: 3, text: null },
    });
    expect(signPatch(s, { ...signValues(s), type: '4', ownerTaxId: '123' }, 3)).toEqual({
      errors: { type: 'tax.declare.errors.type', ownerTaxId: 'tax.edit.errors.taxId.length' },
    });
  });

  it("puts the server's errors beside the right field", () => {
    expect(fieldOf('/uses/1/mainHome')).toBe('share0');
    expect(fieldOf('/area/ngan')).toBe('rai');
    expect(fieldOf('/ownerTaxId')).toBe('ownerTaxId');
  });
});
