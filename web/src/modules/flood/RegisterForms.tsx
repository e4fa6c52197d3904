import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Me } from '../../api.ts';
import {
  checkShelter,
  checkStation,
  type ShelterBody,
  type ShelterValues,
  type StationBody,
  type StationValues,
} from '../../forms/register-places.ts';
import { RegisterActions, useRegisterForm } from '../../forms/useRegisterForm.tsx';
import { localName } from '../../i18n.ts';
import { NameFields } from '../../ui/NameFields.tsx';
import { PointFields } from '../../ui/PointFields.tsx';
import { Checkbox, Select, TextField } from '../../ui/TextField.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { DeviceSelect } from '../devices/DeviceSelect.tsx';
import { useOffices } from '../devices/shared.tsx';
import type { Shelter, Station } from './shared.tsx';

/** What makes a device a station (src/modules/flood/stations.ts, `stationQuantities`). */
const stationQuantities = ['waterLevel', 'rainfall'];
/** The facilities the API knows (src/modules/flood/schemas.ts, `facilities`). */
const facilities = [
  'water',
  'toilets',
  'electricity',
  'kitchen',
  'medical',
  'accessible',
  'pets',
  'parking',
  'shower',
];
const officeBound: Me['role'][] = ['office_manager', 'officer'];
const text = (n: number | null | undefined) => (n == null ? '' : String(n));

/**
 * Make a water-level or rain device a station (no `station`), or change a station's names, datum and
 * levels. The status is normal below the watch level, then watch, warning and critical from each.
 */
export function StationForm({
  station,
  onDone,
  onCancel,
}: {
  station?: Station;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const client = useQueryClient();
  const {
    values: v,
    set,
    err,
    save,
    form,
    title,
  } = useRegisterForm({
    initial: (): StationValues => ({
      deviceId: '',
      nameTh: station?.nameTh ?? '',
      nameEn: station?.nameEn ?? '',
      datum: station?.datum ?? '',
      watch: text(station?.watch),
      warning: text(station?.warning),
      critical: text(station?.critical),
      bankFull: text(station?.bankFull),
    }),
    check: (values) => checkStation(values, { editing: !!station }),
    send: (body: StationBody) =>
      station
        ? api<Station>('PATCH', `/api/flood/stations/${station.id}`, body)
        : api<Station>('POST', '/api/flood/stations', body),
    saved: (s) => {
      toast(t('register.saved', { name: localName(s, i18n.language) }));
      void client.invalidateQueries({ queryKey: ['flood-stations'] });
      void client.invalidateQueries({ queryKey: ['flood-station', s.id] });
      onDone();
    },
  });
  const unit = station
    ? station.unit === 'm'
      ? t('register.flood.unitM')
      : t('register.flood.unitMm')
    : null;
  const level = (k: 'watch' | 'warning' | 'critical' | 'bankFull', label: string) => (
    <TextField
      label={label}
      hint={unit ?? undefined}
      inputMode="decimal"
      value={v[k]}
      onChange={set(k)}
      error={err(k)}
    />
  );
  return (
    <form {...form} data-testid="station-form">
      <h3 {...title}>
        {station
          ? t('register.flood.editStation', { name: localName(station, i18n.language) })
          : t('register.flood.addStation')}
      </h3>
      {!station && (
        <DeviceSelect
          label={t('register.flood.device')}
          quantities={stationQuantities}
          value={v.deviceId}
          onChange={set('deviceId')}
          error={err('deviceId')}
        />
      )}
      <NameFields values={v} set={set} err={err} />
      <TextField
        label={t('register.flood.datum')}
        hint={t('register.flood.datumHint')}
        value={v.datum}
        onChange={set('datum')}
        error={err('datum')}
      />
      <fieldset>
        <legend>{t('register.flood.levels')}</legend>
        <p className="hint">{station ? t('register.flood.levelsHint') : t('register.flood.levelsHintNew')}</p>
        {level('watch', t('flood.status.watch'))}
        {level('warning', t('flood.status.warning'))}
        {level('critical', t('flood.status.critical'))}
        {level('bankFull', t('register.flood.bankFull'))}
      </fieldset>
      <RegisterActions editing={!!station} save={save} onCancel={onCancel} />
    </form>
  );
}

/** Add a shelter or evacuation point, or change one: names, kind, the point, capacity, facilities. */
export function ShelterForm({
  shelter,
  me,
  onDone,
  onCancel,
}: {
  shelter?: Shelter;
  me: Me;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const client = useQueryClient();
  const needsOffice = !officeBound.includes(me.role);
  const offices = useOffices();
  const {
    values: v,
    setValues: setV,
    set,
    err,
    save,
    form,
    title,
  } = useRegisterForm({
    initial: (): ShelterValues => ({
      kind: shelter?.kind ?? 'shelter',
      nameTh: shelter?.nameTh ?? '',
      nameEn: shelter?.nameEn ?? '',
      lat: text(shelter?.location.lat),
      lon: text(shelter?.location.lon),
      capacity: text(shelter?.capacity),
      facilities: shelter?.facilities ?? [],
      contact: shelter?.contact ?? '',
      officeId: me.officeId ?? '',
    }),
    check: (values) => checkShelter(values, { editing: !!shelter, needsOffice }),
    send: (body: ShelterBody) =>
      shelter
        ? api<Shelter>('PATCH', `/api/flood/shelters/${shelter.id}`, body)
        : api<Shelter>('POST', '/api/flood/shelters', body),
    saved: (s) => {
      toast(t('register.saved', { name: localName(s, i18n.language) }));
      void client.invalidateQueries({ queryKey: ['flood-shelters'] });
      onDone();
    },
  });
  const toggle = (f: string, on: boolean) =>
    setV((x) => ({
      ...x,
      facilities: on
        ? facilities.filter((g) => g === f || x.facilities.includes(g))
        : x.facilities.filter((g) => g !== f),
    }));
  return (
    <form {...form} data-testid="shelter-form">
      <h3 {...title}>
        {shelter
          ? t('register.flood.editShelter', { name: localName(shelter, i18n.language) })
          : t('register.flood.addShelter')}
      </h3>
      <Select
        label={t('flood.kind')}
        value={v.kind}
        onChange={set('kind')}
        options={(['shelter', 'evacuation_point'] as const).map((k) => ({
          value: k,
          label: t(`flood.shelterKind.${k}`),
        }))}
      />
      <NameFields values={v} set={set} err={err} />
      {needsOffice && !shelter && (
        <Select
          label={t('register.office')}
          value={v.officeId}
          onChange={set('officeId')}
          error={err('officeId')}
          options={[
            { value: '', label: t('register.chooseOffice') },
            ...(offices.data ?? []).map((o) => ({ value: o.id, label: localName(o, i18n.language) })),
          ]}
        />
      )}
      <PointFields values={v} set={set} err={err} />
      <TextField
        label={t('flood.capacity')}
        inputMode="numeric"
        value={v.capacity}
        onChange={set('capacity')}
        error={err('capacity')}
      />
      <fieldset>
        <legend>{t('flood.facilities')}</legend>
        {facilities.map((f) => (
          <Checkbox
            key={f}
            label={t(`flood.facility.${f}`)}
            checked={v.facilities.includes(f)}
            onChange={(e) => toggle(f, e.target.checked)}
          />
        ))}
      </fieldset>
      <TextField
        label={t('flood.contact')}
        hint={t('register.flood.contactHint')}
        value={v.contact}
        onChange={set('contact')}
        error={err('contact')}
      />
      <RegisterActions editing={!!shelter} save={save} onCancel={onCancel} />
    </form>
  );
}
