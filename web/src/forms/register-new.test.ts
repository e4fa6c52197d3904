import { describe, expect, it } from 'vitest';
import { buildingNew, parcelNew, signNew } from './register-new.ts';

const id = '3100000000001'.slice(0, 12);
const taxId = id + String((11 - ([...id].reduce((s, d, i) => s + Number(d) * (13 - i), 0) % 11)) % 10);
const parcel = {
  ownerTaxId: taxId,
  deedKind: 'chanote',
  deedNo: ' 123 ',
  rai: '1',
  ngan: '0',
  wa: '0',
  uses: '2',
  from0: '',
  from1: '',
  use0: 'residential',
  share0: '60',
  use1: 'other',
  share1: '40',
};

describe('new register records typed on the screen', () => {
  it('sends a whole parcel body with its uses, no version', () => {
    expect(parcelNew(parcel)).toEqual({
      patch: {
        ownerTaxId: taxId,
        deedKind: 'chanote',
        deedNo: '123',
        area: { rai: 1, ngan: 0, wa: 0 },
        uses: [
          { use: 'residential', sharePercent: 60 },
          { use: 'other', sharePercent: 40 },
        ],
      },
    });
  });

  it('refuses each bad field beside it', () => {
    const result = parcelNew({ ...parcel, deedKind: 'x', deedNo: ' ', share1: '30', lon: '100.5', lat: '' });
    expect(result).toEqual({
      errors: {
        deedKind: 'tax.newRecord.errors.deedKind',
        deedNo: 'form.errors.required',
        share0: 'tax.edit.errors.shares',
        lon: 'tax.newRecord.errors.lon',
        lat: 'tax.newRecord.errors.lat',
      },
    });
  });

  it('sends a static sign and a building with the parcel version', () => {
    const sign = signNew({
      ownerTaxId: taxId,
      widthCm: '100',
      heightCm: '50',
      textLanguage: 'thai-only',
      moving: 'false',
    });
    expect(sign).toEqual({
      patch: { ownerTaxId: taxId, widthCm: 100, heightCm: 50, textLanguage: 'thai-only', moving: false },
    });
    expect(buildingNew({ kind: 'ตึก', floorAreaM2: '90', ageYears: '0' }, 7)).toEqual({
      patch: { version: 7, kind: 'ตึก', floorAreaM2: 90, ageYears: 0 },
    });
    expect(buildingNew({ kind: '', floorAreaM2: '0', ageYears: 'x' }, 7)).toHaveProperty('errors');
  });
});
