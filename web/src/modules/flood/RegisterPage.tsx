import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me } from '../../api.ts';
import { localName } from '../../i18n.ts';
import { Button } from '../../ui/Button.tsx';
import { ConfirmRemove } from '../../ui/ConfirmRemove.tsx';
import { RoleGate } from '../../ui/RoleGate.tsx';
import { Card, ErrorState, Spinner } from '../../ui/States.tsx';
import { type Column, Table } from '../../ui/Table.tsx';
import { ShelterForm, StationForm } from './RegisterForms.tsx';
import { levelText, type Shelter, type Station, StatusBadge } from './shared.tsx';

/** Who may keep stations and shelters (src/modules/flood/shelters.ts, `shelterKeepers`). */
const keepers: Me['role'][] = ['admin', 'office_manager', 'officer'];

/**
 * Staff: the flood register. Stations with their watch / warning / critical levels, and shelters and
 * evacuation points, listed, added and changed through /api/flood.
 */
export function FloodRegisterPage() {
  const { t } = useTranslation();
  return (
    <section>
      <p>
        <Link to="/flood">{t('flood.back')}</Link>
      </p>
      <h1>{t('register.flood.title')}</h1>
      <p>{t('register.flood.lead')}</p>
      <RoleGate roles={keepers} refusal={t('register.forbidden')}>
        {(me) => (
          <>
            <Stations />
            <Shelters me={me} />
          </>
        )}
      </RoleGate>
    </section>
  );
}

function EditButton({ name, onClick }: { name: string; onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <Button variant="secondary" aria-label={t('register.editNamed', { name })} onClick={onClick}>
      {t('register.edit')}
    </Button>
  );
}

function Stations() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [open, setOpen] = useState<string | null>(null);
  const stations = useQuery({
    queryKey: ['flood-stations'],
    queryFn: () => api<Station[]>('GET', '/api/flood/stations'),
  });
  const levels = (s: Station) =>
    [s.watch, s.warning, s.critical].map((n) => n.toLocaleString(lang)).join(' / ') +
    (s.unit === 'm' ? ' m' : ' mm');
  const columns: Column<Station>[] = [
    {
      key: 'name',
      header: t('flood.station'),
      cell: (s) => (
        <Link to="/flood/$id" params={{ id: s.id }}>
          {localName(s, lang)}
        </Link>
      ),
      sortValue: (s) => localName(s, lang),
    },
    { key: 'kind', header: t('flood.kind'), cell: (s) => t(`register.flood.kind.${s.kind}`) },
    { key: 'levels', header: t('register.flood.levelsColumn'), cell: levels },
    { key: 'now', header: t('flood.level'), cell: (s) => levelText(s, lang) },
    { key: 'status', header: t('flood.statusLabel'), cell: (s) => <StatusBadge status={s.status} /> },
    {
      key: 'edit',
      header: t('register.actions'),
      cell: (s) => <EditButton name={localName(s, lang)} onClick={() => setOpen(s.id)} />,
    },
  ];
  return (
    <Card>
      <h2>{t('flood.stations')}</h2>
      {stations.isPending && <Spinner />}
      {stations.isError && <ErrorState error={stations.error} onRetry={() => stations.refetch()} />}
      {stations.data && (
        <Table
          caption={t('flood.stationsCaption', { count: stations.data.length })}
          columns={columns}
          rows={stations.data}
          rowKey={(s) => s.id}
          empty={t('flood.noStations')}
        />
      )}
      <Button onClick={() => setOpen('new')}>{t('register.flood.addStation')}</Button>
      {open && (
        <StationForm
          key={open}
          station={stations.data?.find((s) => s.id === open)}
          onDone={() => setOpen(null)}
          onCancel={() => setOpen(null)}
        />
      )}
    </Card>
  );
}

function Shelters({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const client = useQueryClient();
  /** Takes the keyboard after a removal, since the removed row's buttons are gone. */
  const heading = useRef<HTMLHeadingElement>(null);
  const [open, setOpen] = useState<string | null>(null);
  const shelters = useQuery({
    queryKey: ['flood-shelters'],
    queryFn: () => api<Shelter[]>('GET', '/api/flood/shelters'),
  });
  const columns: Column<Shelter>[] = [
    {
      key: 'name',
      header: t('flood.shelter'),
      cell: (s) => localName(s, lang),
      sortValue: (s) => localName(s, lang),
    },
    { key: 'kind', header: t('flood.kind'), cell: (s) => t(`flood.shelterKind.${s.kind}`) },
    {
      key: 'capacity',
      header: t('flood.capacity'),
      cell: (s) => s.capacity.toLocaleString(lang),
      sortValue: (s) => s.capacity,
    },
    { key: 'contact', header: t('flood.contact'), cell: (s) => s.contact ?? '—' },
    {
      key: 'edit',
      header: t('register.actions'),
      cell: (s) => (
        <div className="actions">
          <EditButton name={localName(s, lang)} onClick={() => setOpen(s.id)} />
          <ConfirmRemove
            name={localName(s, lang)}
            url={`/api/flood/shelters/${encodeURIComponent(s.id)}`}
            question={t('register.flood.removeShelter')}
            onRemoved={() => {
              if (open === s.id) setOpen(null);
              void client.invalidateQueries({ queryKey: ['flood-shelters'] });
              heading.current?.focus();
            }}
          />
        </div>
      ),
    },
  ];
  return (
    <Card>
      <h2 ref={heading} tabIndex={-1}>
        {t('flood.shelters')}
      </h2>
      {shelters.isPending && <Spinner />}
      {shelters.isError && <ErrorState error={shelters.error} onRetry={() => shelters.refetch()} />}
      {shelters.data && (
        <Table
          caption={t('flood.sheltersCaption', { count: shelters.data.length })}
          columns={columns}
          rows={shelters.data}
          rowKey={(s) => s.id}
          empty={t('flood.noShelters')}
        />
      )}
      <Button onClick={() => setOpen('new')}>{t('register.flood.addShelter')}</Button>
      {open && (
        <ShelterForm
          key={open}
          me={me}
          shelter={shelters.data?.find((s) => s.id === open)}
          onDone={() => setOpen(null)}
          onCancel={() => setOpen(null)}
        />
      )}
    </Card>
  );
}
