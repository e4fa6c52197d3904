import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { localName } from '../../i18n.ts';
import { useMe, useMeta } from '../../session.ts';
import { LazyMapView } from '../../ui/lazy.tsx';
import { Badge, Card, ErrorState, Spinner } from '../../ui/States.tsx';
import { type Column, Table } from '../../ui/Table.tsx';
import { Select } from '../../ui/TextField.tsx';
import { DeadLetters } from './DeadLetters.tsx';
import { DeviceForm } from './DeviceForm.tsx';
import { Gateways, HealthBadge } from './Gateways.tsx';
import { ImportDevices } from './ImportDevices.tsx';
import { ProfileEditor } from './ProfileForm.tsx';
import { type Device, linkText, StaffOnly, useOffices, useProfiles } from './shared.tsx';

/** The sensor network for staff: devices filtered by profile and office, on a map and in a list. */
export function DevicesPage() {
  const { t } = useTranslation();
  return (
    <StaffOnly title={t('devices.title')}>
      <DeviceList />
      <Keepers>
        <Card>
          <DeviceForm />
        </Card>
        <ImportDevices />
      </Keepers>
      <ProfileKeepers>
        <ProfileEditor />
      </ProfileKeepers>
      <Gateways />
      <DeadLetters />
    </StaffOnly>
  );
}

function DeviceList() {
  const { t, i18n } = useTranslation();
  const meta = useMeta().data;
  const navigate = useNavigate();
  const [profileId, setProfileId] = useState('');
  const [officeId, setOfficeId] = useState('');
  const [health, setHealth] = useState('');
  const profiles = useProfiles();
  const offices = useOffices();
  const devices = useQuery({
    queryKey: ['devices', profileId, officeId, health],
    queryFn: () => {
      const q = new URLSearchParams({ limit: '1000' });
      if (profileId) q.set('profileId', profileId);
      if (officeId) q.set('officeId', officeId);
      if (health) q.set('health', health);
      return api<Device[]>('GET', `/api/devices?${q}`);
    },
  });
  const profileName = useMemo(() => new Map(profiles.data?.map((p) => [p.id, p.name])), [profiles.data]);
  const officeName = useMemo(
    () => new Map(offices.data?.map((o) => [o.id, localName(o, i18n.language)])),
    [offices.data, i18n.language],
  );
  const layers = useMemo(
    () => [
      {
        id: 'devices',
        kind: 'circle' as const,
        color: '#0b5394',
        title: t('devices.title'),
        data: {
          type: 'FeatureCollection' as const,
          features: (devices.data ?? []).map((d) => ({
            type: 'Feature' as const,
            id: d.id,
            geometry: { type: 'Point' as const, coordinates: [d.location.lon, d.location.lat] },
            properties: { name: d.name, id: d.id },
          })),
        },
      },
    ],
    [devices.data, t],
  );
  const columns: Column<Device>[] = [
    {
      key: 'name',
      header: t('devices.name'),
      cell: (d) => (
        <>
          <Link to="/devices/$id" params={{ id: d.id }}>
            {d.name}
          </Link>
          {d.synthetic && <Badge>{t('devices.synthetic')}</Badge>}
        </>
      ),
      sortValue: (d) => d.name,
    },
    { key: 'devEui', header: t('devices.devEui'), cell: (d) => <code>{d.devEui}</code> },
    {
      key: 'profile',
      header: t('devices.profile'),
      cell: (d) => profileName.get(d.profileId) ?? '—',
      sortValue: (d) => profileName.get(d.profileId) ?? '',
    },
    {
      key: 'office',
      header: t('devices.office'),
      cell: (d) => officeName.get(d.officeId) ?? '—',
      sortValue: (d) => officeName.get(d.officeId) ?? '',
    },
    {
      key: 'health',
      header: t('devices.health'),
      cell: (d) => <HealthBadge health={d.health} />,
      sortValue: (d) => d.health,
    },
    {
      key: 'lastSeen',
      header: t('devices.lastSeen'),
      cell: (d) => (d.lastSeenAt ? formatDate(d.lastSeenAt, i18n.language) : t('devices.never')),
      sortValue: (d) => d.lastSeenAt ?? '',
    },
    {
      key: 'battery',
      header: t('devices.battery'),
      cell: (d) => (d.battery === null ? '—' : `${d.battery} %`),
      sortValue: (d) => d.battery ?? -1,
    },
    { key: 'link', header: t('devices.link'), cell: linkText, sortValue: (d) => d.rssi ?? -999 },
  ];
  return (
    <>
      <form className="inline-form filters" onSubmit={(e) => e.preventDefault()}>
        <Select
          label={t('devices.profile')}
          value={profileId}
          onChange={(e) => setProfileId(e.target.value)}
          options={[
            { value: '', label: t('devices.all') },
            ...(profiles.data ?? []).map((p) => ({ value: p.id, label: p.name })),
          ]}
        />
        <Select
          label={t('devices.office')}
          value={officeId}
          onChange={(e) => setOfficeId(e.target.value)}
          options={[
            { value: '', label: t('devices.all') },
            ...(offices.data ?? []).map((o) => ({ value: o.id, label: localName(o, i18n.language) })),
          ]}
        />
        <Select
          label={t('devices.health')}
          value={health}
          onChange={(e) => setHealth(e.target.value)}
          options={[
            { value: '', label: t('devices.all') },
            ...(['online', 'late', 'offline'] as const).map((h) => ({
              value: h,
              label: t(`devices.health_${h}`),
            })),
          ]}
        />
      </form>
      {devices.isPending && <Spinner />}
      {devices.isError && <ErrorState error={devices.error} onRetry={() => devices.refetch()} />}
      {devices.data && (
        <>
          <Card>
            <h2>{t('devices.map')}</h2>
            <LazyMapView
              layers={layers}
              label={t('devices.mapLabel')}
              tileUrl={meta?.map.tileUrl}
              center={meta?.map.center}
              zoom={meta?.map.zoom}
              onClick={(c) => {
                const hit = c.features.find((f) => f.layer === 'devices');
                if (hit) void navigate({ to: '/devices/$id', params: { id: hit.id } });
              }}
            />
          </Card>
          <Table
            caption={t('devices.list')}
            columns={columns}
            rows={devices.data}
            rowKey={(d) => d.id}
            empty={t('devices.none')}
          />
        </>
      )}
    </>
  );
}

/** What only those who keep devices (admin, office manager, officer: the API's rule) see. */
export function Keepers({ children }: { children: React.ReactNode }) {
  const me = useMe().data;
  const keeper = me?.role === 'admin' || me?.role === 'office_manager' || me?.role === 'officer';
  return keeper ? children : null;
}

/** Profiles are written by admins and office managers (the API's rule). */
function ProfileKeepers({ children }: { children: React.ReactNode }) {
  const role = useMe().data?.role;
  return role === 'admin' || role === 'office_manager' ? children : null;
}
