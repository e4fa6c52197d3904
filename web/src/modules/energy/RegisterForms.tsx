import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Me } from '../../api.ts';
import {
  type BuildingBody,
  type BuildingValues,
  checkBuilding,
  checkInstallation,
  type InstallationBody,
  type InstallationValues,
} from '../../forms/register-places.ts';
import { RegisterActions, useRegisterForm } from '../../forms/useRegisterForm.tsx';
import { localName } from '../../i18n.ts';
import { NameFields } from '../../ui/NameFields.tsx';
import { PointFields } from '../../ui/PointFields.tsx';
import { Select, TextField } from '../../ui/TextField.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { DeviceSelect } from '../devices/DeviceSelect.tsx';
import { useOffices } from '../devices/shared.tsx';
import type { Building, Installation } from './types.ts';

export const buildingKinds = ['municipal', 'school', 'university', 'health', 'other'] as const;
/** What an energy device reports (src/modules/energy/counters.ts): its kWh counters. */
const counterQuantities = ['energyGenerated', 'energyImported', 'energyExported'];
/** Roles bound to their own office (src/core/auth/roles.ts): they do not choose the owner office. */
const officeBound: Me['role'][] = ['office_manager', 'officer'];

/** Add a building (no `building`) or change one: names, kind, floor area, owner office and the point. */
export function BuildingForm({
  building,
  me,
  onDone,
  onCancel,
}: {
  building?: Building;
  me: Me;
  onDone: (b: Building) => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const client = useQueryClient();
  const needsOffice = !officeBound.includes(me.role);
  const offices = useOffices();
  const {
    values: v,
    set,
    err,
    save,
    form,
    title,
  } = useRegisterForm({
    initial: (): BuildingValues => ({
      nameTh: building?.nameTh ?? '',
      nameEn: building?.nameEn ?? '',
      kind: building?.kind ?? 'municipal',
      floorAreaM2: building ? String(building.floorAreaM2) : '',
      lat: building ? String(building.location.lat) : '',
      lon: building ? String(building.location.lon) : '',
      officeId: building?.officeId ?? me.officeId ?? '',
    }),
    check: (values) => checkBuilding(values, { needsOffice }),
    send: (body: BuildingBody) =>
      building
        ? api<Building>('PATCH', `/api/energy/buildings/${building.id}`, body)
        : api<Building>('POST', '/api/energy/buildings', body),
    saved: (b) => {
      toast(t('register.saved', { name: localName(b, i18n.language) }));
      void client.invalidateQueries({ queryKey: ['energy-buildings'] });
      void client.invalidateQueries({ queryKey: ['energy-building', b.id] });
      onDone(b);
    },
  });
  return (
    <form {...form} data-testid="building-form">
      <h2 {...title}>
        {building
          ? t('register.energy.editBuilding', { name: localName(building, i18n.language) })
          : t('register.energy.addBuilding')}
      </h2>
      <NameFields values={v} set={set} err={err} />
      <Select
        label={t('energy.kind')}
        value={v.kind}
        onChange={set('kind')}
        error={err('kind')}
        options={buildingKinds.map((k) => ({ value: k, label: t(`energy.kinds.${k}`) }))}
      />
      <TextField
        label={t('register.energy.floorArea')}
        inputMode="decimal"
        value={v.floorAreaM2}
        onChange={set('floorAreaM2')}
        error={err('floorAreaM2')}
      />
      {needsOffice && (
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
      <RegisterActions editing={!!building} save={save} onCancel={onCancel} />
    </form>
  );
}

/** Add a PV system or a grid meter to a building, or change one (its kind stays). */
export function InstallationForm({
  buildingId,
  installation,
  onDone,
  onCancel,
}: {
  buildingId: string;
  installation?: Installation;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
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
    initial: (): InstallationValues => ({
      kind: installation?.kind ?? 'pv',
      name: installation?.name ?? '',
      kwp: installation?.kwp == null ? '' : String(installation.kwp),
      installedOn: installation?.installedOn ?? '',
      deviceId: installation?.deviceId ?? '',
    }),
    check: (values) => checkInstallation(values, { editing: !!installation }),
    send: (body: InstallationBody) =>
      installation
        ? api<Installation>('PATCH', `/api/energy/installations/${installation.id}`, body)
        : api<Installation>('POST', `/api/energy/buildings/${buildingId}/installations`, body),
    saved: (i) => {
      toast(t('register.saved', { name: i.name }));
      void client.invalidateQueries({ queryKey: ['energy-building', buildingId] });
      void client.invalidateQueries({ queryKey: ['energy-buildings'] });
      onDone();
    },
  });
  return (
    <form {...form} data-testid="installation-form">
      <h3 {...title}>
        {installation
          ? t('register.energy.editInstallation', { name: installation.name })
          : t('register.energy.addInstallation')}
      </h3>
      {!installation && (
        <Select
          label={t('energy.kind')}
          value={v.kind}
          onChange={set('kind')}
          options={(['pv', 'meter'] as const).map((k) => ({
            value: k,
            label: t(`energy.installationKinds.${k}`),
          }))}
        />
      )}
      <TextField
        label={t('register.energy.installationName')}
        value={v.name}
        onChange={set('name')}
        error={err('name')}
      />
      {v.kind === 'pv' && (
        <TextField
          label={t('energy.kwp')}
          inputMode="decimal"
          value={v.kwp}
          onChange={set('kwp')}
          error={err('kwp')}
        />
      )}
      <TextField
        type="date"
        label={t('energy.installedOn')}
        value={v.installedOn}
        onChange={set('installedOn')}
        error={err('installedOn')}
      />
      <DeviceSelect
        label={t('register.energy.device')}
        quantities={counterQuantities}
        none={t('register.energy.noDevice')}
        value={v.deviceId}
        onChange={set('deviceId')}
        error={err('deviceId')}
      />
      <RegisterActions editing={!!installation} save={save} onCancel={onCancel} />
    </form>
  );
}
