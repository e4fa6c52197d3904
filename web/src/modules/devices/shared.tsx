import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useMe } from '../../session.ts';
import { Spinner } from '../../ui/States.tsx';

export interface Device {
  id: string;
  devEui: string;
  name: string;
  profileId: string;
  officeId: string;
  location: { lon: number; lat: number };
  zoneCode: string | null;
  tags: string[];
  synthetic: boolean;
  lastSeenAt: string | null;
  battery: number | null;
  rssi: number | null;
  snr: number | null;
  health: Health;
  installedOn: string | null;
  expectedIntervalS: number | null;
  margin: number | null;
  externalPower: boolean | null;
  joinedAt: string | null;
  updatedAt: string;
}
export type Health = 'online' | 'late' | 'offline';
export interface Profile {
  id: string;
  name: string;
  quantities: { field: string; quantity: string; unit?: string }[];
  entityType: string;
}
export interface Office {
  id: string;
  code: string;
  nameTh: string;
  nameEn: string;
}

/** UN/CEFACT unit codes the demo profiles use, as symbols; any other code is shown as it is. */
const symbols: Record<string, string> = {
  GQ: 'µg/m³',
  CEL: '°C',
  P1: '%',
  MTR: 'm',
  MMT: 'mm',
  CMT: 'cm',
  A97: 'hPa',
  LUX: 'lx',
  KEL: 'K',
  VLT: 'V',
  WTT: 'W',
};
export const unitSymbol = (code: string | undefined) => (code ? (symbols[code] ?? code) : '');

export const useProfiles = () =>
  useQuery({ queryKey: ['device-profiles'], queryFn: () => api<Profile[]>('GET', '/api/device-profiles') });
export const useOffices = () =>
  useQuery({ queryKey: ['offices'], queryFn: () => api<Office[]>('GET', '/api/org/offices') });

/** "−97 dBm / 7.5 dB", or a dash when the device has not been heard. */
export function linkText(d: Pick<Device, 'rssi' | 'snr'>): string {
  if (d.rssi === null && d.snr === null) return '—';
  return `${d.rssi ?? '—'} dBm / ${d.snr ?? '—'} dB`;
}

/** Renders its children for staff; others see why not (and a sign-in link when signed out). */
export function StaffOnly({ title, children }: { title: string; children: React.ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  if (me.isPending) return <Spinner />;
  return (
    <section>
      <h1>{title}</h1>
      {me.data?.kind === 'staff' ? (
        children
      ) : (
        <div className="error-state" role="alert">
          <p className="error-title">{t('devices.forbidden')}</p>
          {!me.data && <Link to="/signin">{t('nav.signin')}</Link>}
        </div>
      )}
    </section>
  );
}
