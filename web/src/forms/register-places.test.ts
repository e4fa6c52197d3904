import { describe, expect, it } from 'vitest';
import { checkBuilding, checkInstallation, checkShelter, checkStation } from './register-places.ts';

const building = {
  nameTh: ' อาคารทดสอบ ',
  nameEn: 'Test building',
  kind: 'school',
  floorAreaM2: '1200,5',
  lat: '16.43',
  lon: '102.83',
  officeId: '',
};

describe('register forms', () => {
  it('turns a building form into the API body, with the office only for those who choose one', () => {
    expect(checkBuilding(building, { needsOffice: false })).toEqual({
      body: {
        nameTh: 'อาคารทดสอบ',
        nameEn: 'Test building',
        kind: 'school',
        floorAreaM2: 1200.5,
        location: { lat: 16.43, lon: 102.83 },
      },
    });
    expect(checkBuilding(building, { needsOffice: true })).toEqual({
      errors: { officeId: 'register.errors.required' },
    });
    expect(
      checkBuilding(
        { ...building, nameEn: ' ', floorAreaM2: '0', lat: '91', lon: 'east' },
        { needsOffice: false },
      ),
    ).toEqual({
      errors: {
        nameEn: 'register.errors.required',
        floorAreaM2: 'register.errors.positive',
        lat: 'register.errors.lat',
        lon: 'register.errors.lon',
      },
    });
  });

  it('asks kWp of PV only, and leaves the kind out of a change', () => {
    const pv = { kind: 'pv' as const, name: 'Roof', kwp: '', installedOn: '', deviceId: '' };
    expect(checkInstallation(pv, { editing: false })).toEqual({
      errors: { kwp: 'register.errors.required' },
    });
    expect(checkInstallation({ ...pv, kwp: '12.5' }, { editing: true })).toEqual({
      body: { name: 'Roof', kwp: 12.5, installedOn: null, deviceId: null },
    });
    expect(
      checkInstallation({ ...pv, kind: 'meter', installedOn: '2024-01-02' }, { editing: false }),
    ).toEqual({
      body: { kind: 'meter', name: 'Roof', installedOn: '2024-01-02', deviceId: null },
    });
  });

  it('refuses station levels that do not rise, and an empty bank-full level is null', () => {
    const station = {
      deviceId: '',
      nameTh: 'สถานี',
      nameEn: 'Station',
      datum: '',
      watch: '1.5',
      warning: '1.2',
      critical: '2',
      bankFull: '',
    };
    expect(checkStation(station, { editing: false })).toEqual({
      errors: { deviceId: 'register.errors.required', warning: 'register.errors.order' },
    });
    expect(checkStation({ ...station, warning: '1.8', critical: '1.8' }, { editing: true })).toEqual({
      errors: { critical: 'register.errors.order' },
    });
    expect(checkStation({ ...station, warning: '1.8', datum: ' MSL ' }, { editing: true })).toEqual({
      body: {
        nameTh: 'สถานี',
        nameEn: 'Station',
        datum: 'MSL',
        watch: 1.5,
        warning: 1.8,
        critical: 2,
        bankFull: null,
      },
    });
  });

  it('wants a whole capacity and names the office only when adding', () => {
    const shelter = {
      kind: 'shelter' as const,
      nameTh: 'ศูนย์',
      nameEn: 'Centre',
      lat: '16.44',
      lon: '102.84',
      capacity: '2.5',
      facilities: ['water'],
      contact: ' ',
      officeId: '',
    };
    expect(checkShelter(shelter, { editing: false, needsOffice: true })).toEqual({
      errors: { capacity: 'register.errors.whole', officeId: 'register.errors.required' },
    });
    expect(checkShelter({ ...shelter, capacity: '300' }, { editing: true, needsOffice: true })).toEqual({
      body: {
        kind: 'shelter',
        nameTh: 'ศูนย์',
        nameEn: 'Centre',
        location: { lat: 16.44, lon: 102.84 },
        capacity: 300,
        facilities: ['water'],
        contact: null,
      },
    });
  });
});
