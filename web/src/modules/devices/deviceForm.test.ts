import { describe, expect, it } from 'vitest';
import {
  checkDevice,
  deviceBody,
  emptyDevice,
  fromDevice,
  intervalBody,
  serverField,
  splitTags,
} from './deviceForm.ts';

const good = {
  ...emptyDevice,
  devEui: '70B3D57ED0000001',
  name: 'Drain at Si Chan',
  profileId: 'p',
  officeId: 'o',
  lon: '102.835',
  lat: '16.43',
  installedOn: '2026-01-15',
  tags: 'water, drain',
  expectedIntervalS: '600',
};

describe('device form', () => {
  it('accepts a good device and builds the API body', () => {
    expect(checkDevice(good, { editing: false, needsOffice: true })).toEqual({});
    expect(deviceBody(good, { editing: false, sendOffice: true })).toEqual({
      devEui: '70B3D57ED0000001',
      name: 'Drain at Si Chan',
      profileId: 'p',
      officeId: 'o',
      location: { lon: 102.835, lat: 16.43 },
      installedOn: '2026-01-15',
      tags: ['water', 'drain'],
    });
    expect(deviceBody(good, { editing: true, sendOffice: false })).not.toHaveProperty('devEui');
    expect(deviceBody(good, { editing: true, sendOffice: false })).not.toHaveProperty('officeId');
    expect(intervalBody(good)).toEqual({ expectedIntervalS: 600 });
    expect(intervalBody({ ...good, expectedIntervalS: ' ' })).toEqual({ expectedIntervalS: null });
  });

  it('names every bad field with its message key', () => {
    const bad = {
      ...emptyDevice,
      devEui: '70B3D57ED000000G',
      lon: '102,8',
      lat: '95',
      installedOn: '15/01/2026',
      tags: '<script> ok',
      expectedIntervalS: '5',
    };
    expect(checkDevice(bad, { editing: false, needsOffice: true })).toEqual({
      devEui: 'devices.form.devEuiInvalid',
      name: 'devices.form.required',
      profileId: 'devices.form.required',
      officeId: 'devices.form.required',
      lon: 'devices.form.lonInvalid',
      lat: 'devices.form.latInvalid',
      installedOn: 'devices.form.dateInvalid',
      tags: 'devices.form.tagsInvalid',
      expectedIntervalS: 'devices.form.intervalInvalid',
    });
    // Editing: the DevEUI is not changed, an office-bound officer does not choose an office.
    const e = checkDevice({ ...good, devEui: '', officeId: '' }, { editing: true, needsOffice: false });
    expect(e).toEqual({});
    expect(checkDevice({ ...good, tags: 'a a' }, { editing: false, needsOffice: false }).tags).toBeDefined();
    expect(checkDevice({ ...good, name: 'x'.repeat(201) }, { editing: false, needsOffice: false }).name).toBe(
      'devices.form.tooLong',
    );
  });

  it('round-trips a device, splits tags and maps server paths onto fields', () => {
    const d = {
      devEui: 'a',
      name: 'n',
      profileId: 'p',
      officeId: 'o',
      location: { lon: 102.8, lat: 16.4 },
      installedOn: null,
      tags: ['x', 'y'],
      expectedIntervalS: null,
    };
    expect(fromDevice(d)).toMatchObject({
      lon: '102.8',
      lat: '16.4',
      tags: 'x, y',
      installedOn: '',
      expectedIntervalS: '',
    });
    expect(splitTags(' a,b ;c  d ')).toEqual(['a', 'b', 'c', 'd']);
    expect(serverField('/location')).toBe('lon');
    expect(serverField('/location/lat')).toBe('lon');
    expect(serverField('/devEui')).toBe('devEui');
    expect(serverField('/constructor')).toBeNull();
  });
});
