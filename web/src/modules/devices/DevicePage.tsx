import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import type { ChartOption } from '../../ui/Chart.tsx';
import { LazyChart } from '../../ui/lazy.tsx';
import { Card, ErrorState, Spinner } from '../../ui/States.tsx';
import { type Column, Table } from '../../ui/Table.tsx';
import { DeviceForm } from './DeviceForm.tsx';
import { Keepers } from './DevicesPage.tsx';
import { Downlinks } from './Downlinks.tsx';
import { HealthBadge } from './Gateways.tsx';
import { type Point, type Readings, readingsChart } from './readingsChart.ts';
import { type Device, linkText, StaffOnly, unitSymbol, useProfiles } from './shared.tsx';

type Value = Pick<Point, 'quantity' | 'value' | 'observedAt'>;

/** How often the device page asks for new readings. */
const refreshMs = 30_000;

/** One device for staff: latest value of each quantity, link state, and its last 24 hours, refreshed. */
export function DevicePage() {
  const { t } = useTranslation();
  return (
    <StaffOnly title={t('devices.device')}>
      <DeviceDetail />
    </StaffOnly>
  );
}

function DeviceDetail() {
  const { t, i18n } = useTranslation();
  const { id } = useParams({ strict: false }) as { id?: string };
  const device = useQuery({
    queryKey: ['device', id],
    queryFn: () => api<Device>('GET', `/api/devices/${encodeURIComponent(id ?? '')}`),
    refetchInterval: refreshMs,
  });
  const readings = useQuery({
    queryKey: ['device-readings', id],
    // No range: the API gives the last 24 hours up to now, so each refetch moves the window; auto keeps
    // it to a few hundred points per quantity (raw readings, or averages with their min–max band).
    queryFn: () =>
      api<Readings>(
        'GET',
        `/api/devices/${encodeURIComponent(id ?? '')}/readings?resolution=auto&limit=10000`,
      ),
    refetchInterval: refreshMs,
    enabled: device.isSuccess,
  });
  const profiles = useProfiles();
  const profile = profiles.data?.find((p) => p.id === device.data?.profileId);
  const units = useMemo(
    () => new Map(profile?.quantities.map((q) => [q.quantity, unitSymbol(q.unit)])),
    [profile],
  );
  const option = useMemo<ChartOption | null>(
    () =>
      readings.data
        ? readingsChart(
            readings.data,
            (q) => (units.get(q) ? `${q} (${units.get(q)})` : q),
            (ms) => formatDate(new Date(ms), i18n.language),
            t('devices.band'),
          )
        : null,
    [readings.data, units, i18n.language, t],
  );

  if (device.isPending) return <Spinner />;
  if (device.isError) return <ErrorState error={device.error} onRetry={() => device.refetch()} />;
  const d = device.data;
  const columns: Column<Value>[] = [
    { key: 'quantity', header: t('devices.quantity'), cell: (v) => v.quantity, sortValue: (v) => v.quantity },
    {
      key: 'value',
      header: t('devices.value'),
      cell: (v) => `${v.value.toLocaleString(i18n.language)} ${units.get(v.quantity) ?? ''}`.trim(),
    },
    {
      key: 'at',
      header: t('devices.observedAt'),
      cell: (v) => formatDate(v.observedAt, i18n.language),
      sortValue: (v) => v.observedAt,
    },
  ];
  return (
    <>
      <p>
        <Link to="/devices">{t('devices.back')}</Link>
      </p>
      <h2 data-testid="device-name">{d.name}</h2>
      <dl className="facts">
        <dt>{t('devices.devEui')}</dt>
        <dd>
          <code>{d.devEui}</code>
        </dd>
        <dt>{t('devices.profile')}</dt>
        <dd>{profile?.name ?? '—'}</dd>
        <dt>{t('devices.lastSeen')}</dt>
        <dd>{d.lastSeenAt ? formatDate(d.lastSeenAt, i18n.language) : t('devices.never')}</dd>
        <dt>{t('devices.battery')}</dt>
        <dd>{d.battery === null ? '—' : `${d.battery} %`}</dd>
        <dt>{t('devices.link')}</dt>
        <dd>{linkText(d)}</dd>
        <dt>{t('devices.health')}</dt>
        <dd>
          <HealthBadge health={d.health} />
        </dd>
        <dt>{t('devices.margin')}</dt>
        <dd>{d.margin === null ? '—' : `${d.margin} dB`}</dd>
        <dt>{t('devices.power')}</dt>
        <dd>
          {d.externalPower === null ? '—' : t(d.externalPower ? 'devices.external' : 'devices.onBattery')}
        </dd>
        <dt>{t('devices.joinedAt')}</dt>
        <dd>{d.joinedAt ? formatDate(d.joinedAt, i18n.language) : '—'}</dd>
      </dl>
      <DeviceEvents id={d.id} />
      {readings.isPending && <Spinner />}
      {readings.isError && <ErrorState error={readings.error} onRetry={() => readings.refetch()} />}
      {readings.data && (
        <>
          <Card>
            <h2>{t('devices.latest')}</h2>
            <Table
              caption={t('devices.latest')}
              columns={columns}
              rows={readings.data.latest}
              rowKey={(v) => v.quantity}
              empty={t('devices.noReadings')}
            />
          </Card>
          <Card>
            <h2>{t('devices.last24h')}</h2>
            <p className="note">
              {t('devices.refreshes')} {t(`devices.resolution.${readings.data.resolution}`)}{' '}
              {t('devices.bangkokTime')}
            </p>
            {option ? (
              <LazyChart
                option={option}
                label={t('devices.chartLabel', {
                  name: d.name,
                  count: readings.data.series.length,
                })}
              />
            ) : (
              <p>{t('devices.noReadings')}</p>
            )}
          </Card>
        </>
      )}
      <Downlinks deviceId={d.id} />
      <Keepers>
        <Card>
          <DeviceForm key={d.updatedAt} device={d} />
        </Card>
      </Keepers>
    </>
  );
}

interface DeviceEvent {
  kind: 'join' | 'status';
  at: string;
  detail: Record<string, unknown>;
}

/** Join and status events, newest first (the API's log). */
function DeviceEvents({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const events = useQuery({
    queryKey: ['device-events', id],
    queryFn: () => api<DeviceEvent[]>('GET', `/api/devices/${encodeURIComponent(id)}/events`),
    refetchInterval: refreshMs,
  });
  return (
    <Card>
      <h2>{t('devices.events')}</h2>
      {events.isPending && <Spinner />}
      {events.isError && <ErrorState error={events.error} onRetry={() => events.refetch()} />}
      {events.data && (
        <Table
          caption={t('devices.events')}
          rows={events.data}
          rowKey={(e) => `${e.kind}-${e.at}`}
          empty={t('devices.noEvents')}
          columns={[
            {
              key: 'at',
              header: t('devices.observedAt'),
              cell: (e) => formatDate(e.at, i18n.language),
              sortValue: (e) => e.at,
            },
            { key: 'kind', header: t('devices.eventKind'), cell: (e) => t(`devices.event_${e.kind}`) },
            {
              key: 'detail',
              header: t('devices.detail'),
              cell: (e) =>
                Object.entries(e.detail)
                  .filter(([, v]) => v !== null)
                  .map(([k, v]) => `${k}: ${String(v)}`)
                  .join(', ') || '—',
            },
          ]}
        />
      )}
    </Card>
  );
}
