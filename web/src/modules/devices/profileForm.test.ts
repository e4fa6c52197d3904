import { describe, expect, it } from 'vitest';
import { checkProfile, emptyByteRow, emptyProfile, fromProfile, profileBody } from './profileForm.ts';

describe('profile form', () => {
  it('builds a byte-layout body with numbers, scale and units, and reads it back', () => {
    const v = {
      ...emptyProfile,
      name: 'Drain',
      kind: 'bytes' as const,
      bytes: [
        {
          ...emptyByteRow,
          field: 'level',
          offset: '1',
          length: '2',
          signed: true,
          scale: '0.01',
          unit: 'MTR',
        },
      ],
      quantities: [{ field: 'level', quantity: 'waterLevel', unit: 'MTR' }],
      entityType: 'WaterObserved',
    };
    expect(checkProfile(v)).toEqual({});
    const body = profileBody(v);
    expect(body).toEqual({
      name: 'Drain',
      decoder: {
        kind: 'bytes',
        fields: [
          { field: 'level', offset: 1, length: 2, signed: true, endianness: 'big', scale: 0.01, unit: 'MTR' },
        ],
      },
      quantities: [{ field: 'level', quantity: 'waterLevel', unit: 'MTR' }],
      entityType: 'WaterObserved',
    });
    expect(fromProfile({ ...body, decoder: body.decoder })).toEqual(v);
  });

  it('sends JSON paths only for a JSON decoder and nothing for Cayenne LPP', () => {
    const json = {
      ...emptyProfile,
      name: 'Air',
      kind: 'json' as const,
      json: [{ field: 'pm25', path: 'air.pm25', unit: '' }],
    };
    expect(profileBody(json).decoder).toEqual({
      kind: 'json',
      fields: [{ field: 'pm25', path: 'air.pm25' }],
    });
    expect(profileBody({ ...json, kind: 'cayenne-lpp' }).decoder).toEqual({ kind: 'cayenne-lpp' });
  });

  it('names each bad cell by list, row and column', () => {
    const bad = {
      ...emptyProfile,
      kind: 'bytes' as const,
      bytes: [{ ...emptyByteRow, field: "x'; DROP", offset: '300', length: '8', scale: 'big' }],
      quantities: [{ field: 'a', quantity: '1pm', unit: 'x'.repeat(21) }],
      entityType: 'Air Quality',
    };
    expect(checkProfile(bad)).toEqual({
      name: 'devices.form.required',
      entityType: 'devices.profileForm.nameInvalid',
      'bytes.0.field': 'devices.profileForm.fieldInvalid',
      'bytes.0.offset': 'devices.profileForm.offsetInvalid',
      'bytes.0.length': 'devices.profileForm.lengthInvalid',
      'bytes.0.scale': 'devices.profileForm.scaleInvalid',
      'quantities.0.quantity': 'devices.profileForm.nameInvalid',
      'quantities.0.unit': 'devices.profileForm.unitInvalid',
    });
    expect(checkProfile({ ...emptyProfile, name: 'x', kind: 'bytes' }).bytes).toBe(
      'devices.profileForm.bytesRequired',
    );
    expect(
      checkProfile({
        ...emptyProfile,
        name: 'x',
        kind: 'json',
        json: [{ field: 'a', path: 'a..b', unit: '' }],
      }),
    ).toEqual({
      'json.0.path': 'devices.profileForm.pathInvalid',
    });
  });
});
