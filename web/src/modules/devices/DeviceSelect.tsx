import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { Select } from '../../ui/TextField.tsx';
import { type Device, useProfiles } from './shared.tsx';

/**
 * Choose a registered device (staff): only those whose profile reports one of `quantities`, so a
 * flood station is not offered an air sensor. With `none`, "no device" is a choice too.
 */
export function DeviceSelect({
  label,
  quantities,
  none,
  ...select
}: {
  label: string;
  quantities: string[];
  /** The label of the empty choice; without it a device must be chosen. */
  none?: string;
  value: string;
  onChange: React.ChangeEventHandler<HTMLSelectElement>;
  error?: string;
  name?: string;
}) {
  const { t } = useTranslation();
  const profiles = useProfiles();
  const devices = useQuery({
    queryKey: ['devices', 'all'],
    queryFn: () => api<Device[]>('GET', '/api/devices?limit=1000'),
  });
  const fitting = new Set(
    (profiles.data ?? [])
      .filter((p) => p.quantities.some((q) => quantities.includes(q.quantity)))
      .map((p) => p.id),
  );
  const options = (devices.data ?? [])
    .filter((d) => fitting.has(d.profileId))
    .map((d) => ({ value: d.id, label: `${d.name} (${d.devEui})` }));
  return (
    <Select
      label={label}
      options={[{ value: '', label: none ?? t('devices.select.choose') }, ...options]}
      {...select}
    />
  );
}
