import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError } from '../../api.ts';
import { localName } from '../../i18n.ts';
import { useMe, useMeta } from '../../session.ts';
import { Button } from '../../ui/Button.tsx';
import { LazyMapView } from '../../ui/lazy.tsx';
import { ErrorState } from '../../ui/States.tsx';
import { Select, TextField } from '../../ui/TextField.tsx';
import { useToast } from '../../ui/Toast.tsx';
import {
  checkDevice,
  type DeviceErrors,
  type DeviceField,
  type DeviceFormValues,
  deviceBody,
  emptyDevice,
  fromDevice,
  intervalBody,
  serverField,
} from './deviceForm.ts';
import { type Device, useOffices, useProfiles } from './shared.tsx';

/** Register a device, or change one (`device` given): typed coordinates or a click on the map. */
export function DeviceForm({ device, onDone }: { device?: Device; onDone?: () => void }) {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const meta = useMeta().data;
  const toast = useToast();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const profiles = useProfiles();
  const offices = useOffices();
  const editing = !!device;
  const bound = me?.role === 'office_manager' || me?.role === 'officer';
  const [values, setValues] = useState<DeviceFormValues>(() =>
    device ? fromDevice(device) : { ...emptyDevice, officeId: bound ? (me?.officeId ?? '') : '' },
  );
  const [errors, setErrors] = useState<DeviceErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (field: DeviceField) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setValues((v) => ({ ...v, [field]: value }));
  };
  const err = (f: DeviceField) => (errors[f] ? t(errors[f]!) : undefined);
  const prefix = editing ? 'edit-device' : 'new-device';

  const point = useMemo(() => {
    const lon = Number(values.lon);
    const lat = Number(values.lat);
    const ok = values.lon.trim() && values.lat.trim() && Number.isFinite(lon) && Number.isFinite(lat);
    return [
      {
        id: `${prefix}-point`,
        kind: 'circle' as const,
        color: '#b45309',
        title: t('devices.form.chosenPlace'),
        data: {
          type: 'FeatureCollection' as const,
          features: ok
            ? [
                {
                  type: 'Feature' as const,
                  geometry: { type: 'Point' as const, coordinates: [lon, lat] },
                  properties: { name: values.name || t('devices.form.chosenPlace') },
                },
              ]
            : [],
        },
      },
    ];
  }, [values.lon, values.lat, values.name, prefix, t]);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setFailure(null);
    const found = checkDevice(values, { editing, needsOffice: !bound && !me?.officeId });
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const body = deviceBody(values, { editing, sendOffice: !bound });
      const saved = editing
        ? await api<Device>('PATCH', `/api/devices/${device.id}`, body)
        : await api<Device>('POST', '/api/devices', body);
      const interval = intervalBody(values);
      if (
        !editing
          ? interval.expectedIntervalS !== null
          : interval.expectedIntervalS !== (device.expectedIntervalS ?? null)
      )
        await api('PUT', `/api/devices/${saved.id}/expected-interval`, interval);
      await queryClient.invalidateQueries({ queryKey: ['devices'] });
      await queryClient.invalidateQueries({ queryKey: ['device', saved.id] });
      toast(t(editing ? 'devices.form.saved' : 'devices.form.created', { name: saved.name }));
      if (!editing) setValues({ ...emptyDevice, officeId: values.officeId });
      onDone?.();
    } catch (x) {
      if (x instanceof ProblemError) {
        const fromServer: DeviceErrors = {};
        if (x.problem.code === 'devices.dev_eui_taken') fromServer.devEui = 'devices.form.devEuiTaken';
        if (x.problem.code === 'org.outside_municipality') fromServer.lon = 'devices.form.outside';
        for (const fe of x.problem.errors ?? []) {
          const f = serverField(fe.path);
          if (f && !fromServer[f]) fromServer[f] = 'devices.form.serverInvalid';
        }
        if (Object.keys(fromServer).length) setErrors(fromServer);
        else setFailure(x);
      } else setFailure(x);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (!device || !window.confirm(t('devices.form.confirmDelete', { name: device.name }))) return;
    try {
      await api('DELETE', `/api/devices/${device.id}`);
      await queryClient.invalidateQueries({ queryKey: ['devices'] });
      toast(t('devices.form.deleted', { name: device.name }));
      await navigate({ to: '/devices' });
    } catch (x) {
      setFailure(x);
    }
  }

  return (
    <form onSubmit={submit} noValidate data-testid={`${prefix}-form`} aria-labelledby={`${prefix}-title`}>
      <h2 id={`${prefix}-title`}>{t(editing ? 'devices.form.editTitle' : 'devices.form.newTitle')}</h2>
      {!editing && (
        <TextField
          id={`${prefix}-deveui`}
          label={t('devices.devEui')}
          hint={t('devices.form.devEuiHint')}
          value={values.devEui}
          onChange={set('devEui')}
          error={err('devEui')}
          autoComplete="off"
          spellCheck={false}
        />
      )}
      <TextField
        id={`${prefix}-name`}
        label={t('devices.name')}
        value={values.name}
        onChange={set('name')}
        error={err('name')}
      />
      <Select
        label={t('devices.profile')}
        value={values.profileId}
        onChange={set('profileId')}
        error={err('profileId')}
        data-testid={`${prefix}-profile`}
        options={[
          { value: '', label: t('devices.form.choose') },
          ...(profiles.data ?? []).map((p) => ({ value: p.id, label: p.name })),
        ]}
      />
      <Select
        label={t('devices.office')}
        value={values.officeId}
        onChange={set('officeId')}
        error={err('officeId')}
        disabled={bound}
        options={[
          { value: '', label: t('devices.form.choose') },
          ...(offices.data ?? []).map((o) => ({ value: o.id, label: localName(o, i18n.language) })),
        ]}
      />
      <fieldset>
        <legend>{t('devices.form.location')}</legend>
        <p className="hint">{t('devices.form.locationHint')}</p>
        <div className="inline-form">
          <TextField
            id={`${prefix}-lon`}
            label={t('devices.form.lon')}
            inputMode="decimal"
            value={values.lon}
            onChange={set('lon')}
            error={err('lon')}
          />
          <TextField
            id={`${prefix}-lat`}
            label={t('devices.form.lat')}
            inputMode="decimal"
            value={values.lat}
            onChange={set('lat')}
            error={err('lat')}
          />
        </div>
        <LazyMapView
          layers={point}
          label={t('devices.form.mapLabel')}
          tileUrl={meta?.map.tileUrl}
          center={device ? [device.location.lon, device.location.lat] : meta?.map.center}
          zoom={meta?.map.zoom}
          onClick={(c) => setValues((v) => ({ ...v, lon: c.lon.toFixed(6), lat: c.lat.toFixed(6) }))}
        />
      </fieldset>
      <TextField
        id={`${prefix}-installed`}
        type="date"
        label={t('devices.form.installedOn')}
        value={values.installedOn}
        onChange={set('installedOn')}
        error={err('installedOn')}
      />
      <TextField
        id={`${prefix}-tags`}
        label={t('devices.form.tags')}
        hint={t('devices.form.tagsHint')}
        value={values.tags}
        onChange={set('tags')}
        error={err('tags')}
      />
      <TextField
        id={`${prefix}-interval`}
        label={t('devices.form.interval')}
        hint={t('devices.form.intervalHint')}
        inputMode="numeric"
        value={values.expectedIntervalS}
        onChange={set('expectedIntervalS')}
        error={err('expectedIntervalS')}
      />
      {failure !== null && <ErrorState error={failure} />}
      <div className="actions">
        <Button type="submit" disabled={busy} data-testid={`${prefix}-submit`}>
          {t(editing ? 'devices.form.save' : 'devices.form.register')}
        </Button>
        {editing && (
          <Button variant="danger" onClick={remove} data-testid="delete-device">
            {t('devices.form.delete')}
          </Button>
        )}
      </div>
    </form>
  );
}
