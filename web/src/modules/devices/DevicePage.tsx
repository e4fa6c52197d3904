import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import type { ChartOption } from '../../ui/Chart.tsx';
import { LazyChart } from '../../ui/lazy.tsx';
import { Card, ErrorState, Spinner } from '../../ui/States.tsx';
import { type Column, Table } from '../../ui/Table.tsx';
import { Select, TextField } from '../../ui/TextField.tsx';
import { DeviceForm } from './DeviceForm.tsx';
import { Keepers } from './DevicesPage.tsx';
import { Downlinks } from './Downlinks.tsx';
import { HealthBadge } from './Gateways.tsx';
import { bangkokToday, daysBefore, type Preset, presets, rangeFor } from './range.ts';
import { type Point, type Readings, readingsChart } from './readingsChart.ts';
import { type Device, linkText, StaffOnly, unitSymbol, useProfiles } from './shared.tsx';

type Value = Pick<Point, 'quantity' | 'value' | 'observedAt'>;

/** How often the device page asks for new readings. */
const refreshMs = 30_000;

/** One device for staff: latest value of each quantity, link state, and its readings over a chosen period. */
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
  const [preset, setPreset] = useState<Preset>('24h');
  const [fromDay, setFromDay] = useState(() => daysBefore(bangkokToday(), 7));
  const [toDay, setToDay] = useState(() => bangkokToday());
  const range = rangeFor(preset, fromDay, toDay);
  const picked = 'error' in range ? null : range;
  const readings = useQuery({
    // A preset window ends now, so each refetch moves it; the key holds only the choice, not the
    // instant, or every refetch would be a new query. Auto keeps a few hundred points per quantity
    // (raw readings, or averages with their min–max band).
    queryKey: ['device-readings', id, preset, preset === 'custom' ? `${fromDay}/${toDay}` : ''],
    queryFn: () => {
      const r = rangeFor(preset, fromDay, toDay);
      const q = 'error' in r ? '' : `&from=${encodeURIComponent(r.from)}&to=${encodeURIComponent(r.to)}`;
      return api<Readings>(
        'GET',
        `/api/devices/${encodeURIComponent(id ?? '')}/readings?resolution=auto&limit=10000${q}`,
      );
    },
    // While another period loads (or a picked one is wrong) the last one stays, its range said above it.
    placeholderData: keepPreviousData,
    refetchInterval: picked?.live ? refreshMs : false,
    enabled: device.isSuccess && picked !== null,
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
      {readings.isError && <ErrorState error={readings.error} onRetry={() => readings.refetch()} />}
      {readings.data && (
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
      )}
      <Card>
        <h2>{t(`devices.periods.${preset}`)}</h2>
        <form className="inline-form filters" onSubmit={(e) => e.preventDefault()}>
          <Select
            label={t('devices.periodChoice')}
            value={preset}
            onChange={(e) => setPreset(e.target.value as Preset)}
            options={presets.map((p) => ({ value: p, label: t(`devices.periods.${p}`) }))}
          />
          {preset === 'custom' && (
            <>
              <TextField
                type="date"
                label={t('devices.fromDay')}
                value={fromDay}
                max={bangkokToday()}
                onChange={(e) => setFromDay(e.target.value)}
                error={'error' in range && !fromDay ? t('devices.dayMissing') : undefined}
              />
              <TextField
                type="date"
                label={t('devices.toDay')}
                value={toDay}
                onChange={(e) => setToDay(e.target.value)}
                error={
                  'error' in range && range.error === 'order'
                    ? t('devices.dayOrder')
                    : 'error' in range && !toDay
                      ? t('devices.dayMissing')
                      : undefined
                }
              />
            </>
          )}
        </form>
        {picked && readings.isPending && <Spinner />}
        {readings.data && (
          <>
            <p className="note" data-testid="readings-range">
              {t('devices.rangeShown', {
                from: formatDate(readings.data.from, i18n.language),
                to: formatDate(readings.data.to, i18n.language),
              })}{' '}
              {picked?.live ? `${t('devices.refreshes')} ` : ''}
              {t(`devices.resolution.${readings.data.resolution}`)} {t('devices.bangkokTime')}
            </p>
            {option ? (
              <LazyChart
                option={option}
                label={t('devices.chartLabel', {
                  name: d.name,
                  period: t(`devices.periods.${preset}`),
                  count: readings.data.series.length,
                })}
              />
            ) : (
              <p>{t('devices.noReadings')}</p>
            )}
          </>
        )}
      </Card>
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
