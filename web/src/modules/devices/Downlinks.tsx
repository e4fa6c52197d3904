import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { checkDownlink, compactHex } from '../../forms/downlink.ts';
import { Button } from '../../ui/Button.tsx';
import { Badge, Card, ErrorState, Spinner } from '../../ui/States.tsx';
import { type Column, Table } from '../../ui/Table.tsx';
import { Checkbox, TextField } from '../../ui/TextField.tsx';

type State = 'queued' | 'sent' | 'acknowledged' | 'failed' | 'expired';
interface Downlink {
  id: string;
  fPort: number;
  payloadHex: string;
  confirmed: boolean;
  state: State;
  queuedBy: string | null;
  queuedAt: string;
  reason: string | null;
}

/** A device's downlinks: a small form to queue bytes, and their states, refreshed. */
export function Downlinks({ deviceId }: { deviceId: string }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [hex, setHex] = useState('');
  const [fPort, setFPort] = useState('1');
  const [confirmed, setConfirmed] = useState(false);
  const [local, setLocal] = useState<{ hex?: string; fPort?: string }>({});
  const url = `/api/devices/${encodeURIComponent(deviceId)}/downlinks`;
  const list = useQuery({
    queryKey: ['device-downlinks', deviceId],
    queryFn: () => api<Downlink[]>('GET', url),
    refetchInterval: 10_000,
  });
  const send = useMutation({
    mutationFn: (body: object) => api<Downlink>('POST', url, body),
    onSuccess: () => {
      setHex('');
      void client.invalidateQueries({ queryKey: ['device-downlinks', deviceId] });
    },
  });
  const problem = send.error instanceof ProblemError ? send.error.problem : null;

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    send.reset();
    const errors = checkDownlink(hex, fPort);
    setLocal(errors);
    if (errors.hex || errors.fPort) return;
    send.mutate({ fPort: Number(fPort), confirmed, payload: { hex: compactHex(hex) } });
  }

  const columns: Column<Downlink>[] = [
    {
      key: 'queuedAt',
      header: t('devices.downlinks.queuedAt'),
      cell: (d) => formatDate(d.queuedAt, i18n.language),
      sortValue: (d) => d.queuedAt,
    },
    { key: 'fPort', header: t('devices.downlinks.fPort'), cell: (d) => d.fPort },
    { key: 'payload', header: t('devices.downlinks.payload'), cell: (d) => <code>{d.payloadHex}</code> },
    {
      key: 'state',
      header: t('devices.downlinks.state'),
      cell: (d) => (
        <Badge tone={d.state === 'failed' || d.state === 'expired' ? 'warn' : 'info'}>
          {t(`devices.downlinks.states.${d.state}`)}
          {d.confirmed ? ` · ${t('devices.downlinks.confirmed')}` : ''}
        </Badge>
      ),
    },
    { key: 'by', header: t('devices.downlinks.by'), cell: (d) => d.queuedBy ?? '—' },
  ];

  return (
    <Card>
      <h2 id="downlinks-title">{t('devices.downlinks.title')}</h2>
      <p className="note">{t('devices.downlinks.lead')}</p>
      <form onSubmit={submit} noValidate aria-labelledby="downlinks-title" data-testid="downlink-form">
        <TextField
          name="hex"
          label={t('devices.downlinks.hex')}
          hint={t('devices.downlinks.hexHint')}
          value={hex}
          autoComplete="off"
          spellCheck={false}
          error={local.hex ? t(local.hex) : undefined}
          onChange={(e) => setHex(e.target.value)}
        />
        <TextField
          name="fPort"
          label={t('devices.downlinks.fPort')}
          inputMode="numeric"
          value={fPort}
          error={local.fPort ? t(local.fPort) : undefined}
          onChange={(e) => setFPort(e.target.value)}
        />
        <Checkbox
          name="confirmed"
          label={t('devices.downlinks.askAck')}
          checked={confirmed}
          onChange={(e) => setConfirmed(e.target.checked)}
        />
        {problem && (
          <p className="field-error" role="alert">
            {problem.detail ?? problem.title}
          </p>
        )}
        {send.isSuccess && <p role="status">{t('devices.downlinks.queued')}</p>}
        <Button type="submit" disabled={send.isPending}>
          {t('devices.downlinks.send')}
        </Button>
      </form>
      {list.isPending && <Spinner />}
      {list.isError && <ErrorState error={list.error} onRetry={() => list.refetch()} />}
      {list.data && (
        <Table
          caption={t('devices.downlinks.title')}
          columns={columns}
          rows={list.data}
          rowKey={(d) => d.id}
          empty={t('devices.downlinks.none')}
        />
      )}
    </Card>
  );
}
