import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { Badge, Card, ErrorState, Spinner } from '../../ui/States.tsx';
import { type Column, Table } from '../../ui/Table.tsx';
import type { Health } from './shared.tsx';

interface Gateway {
  gatewayId: string;
  lastSeenAt: string;
  rssi: number | null;
  snr: number | null;
  devices: number;
}

/** A device's health as a badge: online plain, late a warning, offline noted. */
export function HealthBadge({ health }: { health: Health }) {
  const { t } = useTranslation();
  return (
    <Badge tone={health === 'online' ? 'info' : health === 'late' ? 'warn' : 'neutral'}>
      {t(`devices.health_${health}`)}
    </Badge>
  );
}

/** The LoRaWAN gateways seen in uplinks, latest first. */
export function Gateways() {
  const { t, i18n } = useTranslation();
  const gateways = useQuery({
    queryKey: ['gateways'],
    queryFn: () => api<Gateway[]>('GET', '/api/gateways'),
  });
  const columns: Column<Gateway>[] = [
    { key: 'id', header: t('devices.gateway'), cell: (g) => <code>{g.gatewayId}</code> },
    {
      key: 'lastSeen',
      header: t('devices.lastSeen'),
      cell: (g) => formatDate(g.lastSeenAt, i18n.language),
      sortValue: (g) => g.lastSeenAt,
    },
    {
      key: 'devices',
      header: t('devices.gatewayDevices'),
      cell: (g) => g.devices,
      sortValue: (g) => g.devices,
    },
  ];
  return (
    <Card>
      <h2>{t('devices.gateways')}</h2>
      {gateways.isPending && <Spinner />}
      {gateways.isError && <ErrorState error={gateways.error} onRetry={() => gateways.refetch()} />}
      {gateways.data && (
        <Table
          caption={t('devices.gateways')}
          columns={columns}
          rows={gateways.data}
          rowKey={(g) => g.gatewayId}
          empty={t('devices.noGateways')}
        />
      )}
    </Card>
  );
}
