import { describe, expect, it } from 'vitest';
import {
  addUse,
  buildingPatch,
  buildingValues,
  countUses,
  fieldOf,
  ownerNew,
  ownerPatch,
  ownerValues,
  type ParcelNow,
  parcelPatch,
  parcelValues,
  raiNganWa,
  removeUse,
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

  it('corrects a sign: the text language is sent, the server gives the type from it', () => {
    const s = {
      ownerTaxId: owner,
      widthCm: 200,
      heightCm: 100,
      type: 1,
      textLanguage: 'thai-only',
      moving: false,
      text: 'ร้าน',
    };
    expect(signPatch(s, signValues(s), 3)).toEqual({ unchanged: true });
    expect(
      signPatch(
        s,
        { ...signValues(s), text: '', textLanguage: 'no-thai-or-thai-below', widthCm: '1,250.5' },
        3,
      ),
    ).toEqual({
      patch: { version: 3, widthCm: 1250.5, textLanguage: 'no-thai-or-thai-below', text: null },
    });
    expect(signPatch(s, { ...signValues(s), textLanguage: '3', ownerTaxId: '123' }, 3)).toEqual({
      errors: { textLanguage: 'tax.declare.errors.language', ownerTaxId: 'tax.edit.errors.taxId.length' },
    });
  });

  it("sends a parcel's outline only when it changed; empty removes it; unreadable text is caught", () => {
    const square = [
      [
        [
          [102.83, 16.43],
          [102.831, 16.43],
          [102.831, 16.431],
          [102.83, 16.43],
        ],
      ],
    ];
    const withOutline = { ...parcel, boundary: { type: 'MultiPolygon', coordinates: square } };
    expect(parcelPatch(withOutline, parcelValues(withOutline), 2)).toEqual({ unchanged: true });
    expect(parcelPatch(withOutline, { ...parcelValues(withOutline), boundary: '  ' }, 2)).toEqual({
      patch: { version: 2, boundary: null },
    });
    const polygon = JSON.stringify({
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: square[0] },
    });
    expect(parcelPatch(parcel, { ...parcelValues(parcel), boundary: polygon }, 2)).toEqual({
      patch: { version: 2, boundary: { type: 'Polygon', coordinates: square[0] } },
    });
    expect(parcelPatch(parcel, { ...parcelValues(parcel), boundary: '{"type": "Polygon", ' }, 2)).toEqual({
      errors: { boundary: 'tax.edit.errors.boundaryJson' },
    });
    expect(
      parcelPatch(parcel, { ...parcelValues(parcel), boundary: '{"type":"Point","coordinates":[1,2]}' }, 2),
    ).toEqual({
      errors: { boundary: 'tax.edit.errors.boundaryType' },
    });
    expect(parcelPatch(parcel, { ...parcelValues(parcel), boundary: 'null' }, 2)).toEqual({
      errors: { boundary: 'tax.edit.errors.boundaryType' },
    });
  });

  it("puts the server's errors beside the right field", () => {
    expect(fieldOf('/uses/1/sharePercent')).toBe('share0');
    expect(fieldOf('/area/ngan')).toBe('rai');
    expect(fieldOf('/ownerTaxId')).toBe('ownerTaxId');
  });

  it('adds a use at the end, up to four, and sends the whole list', () => {
    const v = addUse(parcelValues(parcel));
    expect(countUses(v)).toBe(3);
    expect(v).toMatchObject({ use2: '', share2: '', from2: '' });
    // Added but not chosen: said beside the new row, and the shares are not judged yet.
    expect(parcelPatch(parcel, v, 5)).toEqual({
      errors: { use2: 'tax.edit.errors.use', share2: 'form.errors.required' },
    });
    const chosen = { ...v, share1: '30', use2: 'agriculture', share2: '20' };
    expect(parcelPatch(parcel, chosen, 5)).toEqual({
      patch: {
        version: 5,
        uses: [
          { use: 'residential', sharePercent: 50, mainHome: 'land-and-building' },
          { use: 'other', sharePercent: 30 },
          { use: 'agriculture', sharePercent: 20 },
        ],
      },
    });
    const four = addUse(chosen);
    expect(countUses(four)).toBe(4);
    expect(addUse(four)).toBe(four);
  });

  it('removes a use, moving the rows after it up with their main-home status', () => {
    const three: ParcelNow = {
      ...parcel,
      uses: [
        { use: 'other', sharePercent: 40 },
        { use: 'residential', sharePercent: 30, mainHome: 'building-only' },
        { use: 'vacant', sharePercent: 30, vacantYears: 6 },
      ],
    };
    const v = removeUse(parcelValues(three), 0);
    expect(countUses(v)).toBe(2);
    expect(v).toMatchObject({ use0: 'residential', from0: '1', use1: 'vacant', from1: '2' });
    expect(v).not.toHaveProperty('use2');
    expect(parcelPatch(three, { ...v, share0: '70' }, 2)).toEqual({
      patch: {
        version: 2,
        uses: [
          { use: 'residential', sharePercent: 70, mainHome: 'building-only' },
          { use: 'vacant', sharePercent: 30, vacantYears: 6 },
        ],
      },
    });
    // Removed without re-sharing: the shares no longer add up.
    expect(parcelPatch(three, v, 2)).toEqual({ errors: { share0: 'tax.edit.errors.shares' } });
    // The last use stays; out-of-range rows change nothing.
    const one = removeUse(removeUse(v, 1), 0);
    expect(countUses(one)).toBe(1);
    expect(removeUse(one, 0)).toBe(one);
    expect(removeUse(v, 7)).toBe(v);
    expect(removeUse(v, -1)).toBe(v);
  });

  it('refuses the same use twice, but a main home beside another home is two uses', () => {
    const twice = { ...addUse(parcelValues(parcel)), share0: '40', use2: 'other', share2: '10' };
    expect(parcelPatch(parcel, twice, 1)).toEqual({ errors: { use2: 'tax.edit.errors.duplicateUse' } });
    const homes = { ...twice, use2: 'residential' };
    const result = parcelPatch(parcel, homes, 1);
    expect(result).toMatchObject({ patch: { uses: [{ mainHome: 'land-and-building' }, {}, {}] } });
    expect('patch' in result && (result.patch.uses as object[])[2]).toEqual({
      use: 'residential',
      sharePercent: 10,
    });
  });

  it('refuses a use count the API would refuse, even when typed into the values', () => {
    expect(parcelPatch(parcel, { ...parcelValues(parcel), uses: '0' }, 1)).toEqual({
      errors: { use0: 'tax.edit.errors.useCount' },
    });
    expect(parcelPatch(parcel, { ...parcelValues(parcel), uses: '5' }, 1)).toEqual({
      errors: { use0: 'tax.edit.errors.useCount' },
    });
    expect(parcelPatch(parcel, { ...parcelValues(parcel), uses: "1' OR 1=1" }, 1)).toEqual({
      errors: { use0: 'tax.edit.errors.useCount' },
    });
  });

  it("puts the server's duplicate-use error beside that use", () => {
    expect(fieldOf('/uses/2/use')).toBe('use2');
    expect(fieldOf('/uses/1/mainHome')).toBe('home1');
    expect(fieldOf('/uses/3/vacantYears')).toBe('vacant3');
  });

  it('edits a main home and years left vacant, sending them with their use only', () => {
    const v = parcelValues(parcel);
    expect(v).toMatchObject({ home0: 'land-and-building', home1: '', vacant0: '', vacant1: '' });
    expect(parcelPatch(parcel, { ...v, home0: 'building-only' }, 3)).toEqual({
      patch: {
        version: 3,
        uses: [
          { use: 'residential', sharePercent: 50, mainHome: 'building-only' },
          { use: 'other', sharePercent: 50 },
        ],
      },
    });
    // No longer a main home: the status is left out, so the exemption goes.
    expect(parcelPatch(parcel, { ...v, home0: '' }, 3)).toMatchObject({
      patch: { uses: [{ use: 'residential', sharePercent: 50 }, {}] },
    });
    // Use 2 becomes vacant land, left unused for 7 years; a main home left in a hidden field is not sent.
    const vacant = { ...v, use1: 'vacant', vacant1: '7', home1: 'land-and-building' };
    expect(parcelPatch(parcel, vacant, 3)).toMatchObject({
      patch: { uses: [{}, { use: 'vacant', sharePercent: 50, vacantYears: 7 }] },
    });
    expect(parcelPatch(parcel, { ...vacant, vacant1: '' }, 3)).toMatchObject({
      patch: { uses: [{}, { use: 'vacant', sharePercent: 50 }] },
    });
    // Years vacant typed on a use that is not vacant are not sent either.
    expect(parcelPatch(parcel, { ...v, vacant1: '9' }, 3)).toEqual({ unchanged: true });
  });

  it('refuses years left vacant that are no whole number from 0 to 100, and an unknown main-home status', () => {
    const v = { ...parcelValues(parcel), use1: 'vacant' };
    for (const years of ['2.5', '-1', '101', 'three'])
      expect(parcelPatch(parcel, { ...v, vacant1: years }, 1)).toEqual({
        errors: { vacant1: 'tax.edit.errors.number' },
      });
    expect(parcelPatch(parcel, { ...v, vacant1: '100' }, 1)).toHaveProperty('patch');
    expect(parcelPatch(parcel, { ...parcelValues(parcel), home0: 'castle' }, 1)).toEqual({
      errors: { home0: 'tax.edit.errors.mainHome' },
    });
  });

  it("moves a row's main home and years vacant with it when a row above is removed, and adds rows without", () => {
    const three: ParcelNow = {
      ...parcel,
      uses: [
        { use: 'other', sharePercent: 40 },
        { use: 'residential', sharePercent: 30, mainHome: 'building-only' },
        { use: 'vacant', sharePercent: 30, vacantYears: 6 },
      ],
    };
    const v = removeUse(parcelValues(three), 0);
    expect(v).toMatchObject({ home0: 'building-only', vacant1: '6' });
    expect(v).not.toHaveProperty('home2');
    const added = addUse(parcelValues(parcel));
    expect(added).toMatchObject({ use2: '', home2: '', vacant2: '' });
  });
});

describe('correcting an owner', () => {
  const now = { kind: 'person', taxId: owner, name: 'นางแก้ไข หนึ่ง', address: null };

  it('sends only what changed: a name trimmed, an address, a corrected ID typed with dashes', () => {
    const v = { ...ownerValues(now), name: ' นางแก้ไข สอง ', address: '1 ถนนมิตรภาพ' };
    expect(ownerPatch(now, v, 3)).toEqual({
      patch: { version: 3, name: 'นางแก้ไข สอง', address: '1 ถนนมิตรภาพ' },
    });
    const id = { ...ownerValues(now), taxId: '0-1055-50770-02-3', kind: 'juristic' };
    expect(ownerPatch(now, id, 3)).toEqual({ patch: { version: 3, kind: 'juristic', taxId: other } });
    expect(ownerPatch(now, ownerValues(now), 3)).toEqual({ unchanged: true });
  });

  it('clears an address left empty, and refuses a blank name, a bad ID, an unknown kind, a huge name', () => {
    const withAddress = { ...now, address: 'เดิม' };
    expect(ownerPatch(withAddress, { ...ownerValues(withAddress), address: '  ' }, 1)).toEqual({
      patch: { version: 1, address: null },
    });
    const bad = ownerPatch(
      now,
      { kind: 'robot', taxId: '3109900770018', name: '   ', address: 'x'.repeat(1001) },
      1,
    );
    expect(bad).toEqual({
      errors: {
        kind: 'tax.edit.errors.ownerKind',
        taxId: 'tax.edit.errors.taxId.checkDigit',
        name: 'form.errors.required',
        address: 'tax.edit.errors.long',
      },
    });
    expect(ownerPatch(now, { ...ownerValues(now), name: 'ก'.repeat(10_000) }, 1)).toEqual({
      errors: { name: 'tax.edit.errors.long' },
    });
  });

  it('registers a new owner with everything checked, an empty address left out', () => {
    expect(ownerNew({ kind: 'juristic', taxId: other, name: ' บริษัท ใหม่ จำกัด ', address: '' })).toEqual({
      patch: { kind: 'juristic', taxId: other, name: 'บริษัท ใหม่ จำกัด' },
    });
    expect(ownerNew({ kind: '', taxId: '12345', name: '', address: '' })).toEqual({
      errors: {
        kind: 'tax.edit.errors.ownerKind',
        taxId: 'tax.edit.errors.taxId.length',
        name: 'form.errors.required',
      },
    });
  });

  it('puts a server error beside its field, whether the schema or the editor named it', () => {
    expect(fieldOf('/taxId')).toBe('taxId');
    expect(fieldOf('/body/name')).toBe('name');
    expect(fieldOf('/body/uses/1/use')).toBe('use1');
  });
});
