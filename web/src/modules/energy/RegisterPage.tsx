import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { localName } from '../../i18n.ts';
import { Button } from '../../ui/Button.tsx';
import { ConfirmRemove } from '../../ui/ConfirmRemove.tsx';
import { RoleGate } from '../../ui/RoleGate.tsx';
import { Card, ErrorState, Spinner } from '../../ui/States.tsx';
import { type Column, Table } from '../../ui/Table.tsx';
import { number } from './format.ts';
import { BuildingForm, InstallationForm } from './RegisterForms.tsx';
import type { Building, Installation, BuildingPage as Page } from './types.ts';

/** Who may change the energy register (src/modules/energy/routes.ts, `writers`). */
const writers: Me['role'][] = ['admin', 'office_manager', 'officer'];

/**
 * Staff: the energy register. Buildings with their PV systems and grid meters, listed, added and
 * changed through /api/energy; office staff change their own office's buildings (the API says so
 * when they try another's).
 */
export function EnergyRegisterPage() {
  const { t } = useTranslation();
  return (
    <section>
      <p>
        <Link to="/energy">{t('energy.back')}</Link>
      </p>
      <h1>{t('register.energy.title')}</h1>
      <p>{t('register.energy.lead')}</p>
      <RoleGate roles={writers} refusal={t('register.forbidden')}>
        {(me) => <Register me={me} />}
      </RoleGate>
    </section>
  );
}

function Register({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const client = useQueryClient();
  /** Takes the keyboard after a removal, since the removed row's buttons are gone. */
  const heading = useRef<HTMLHeadingElement>(null);
  /** The building being changed, 'new' while adding one, or nothing open. */
  const [open, setOpen] = useState<string | null>(null);
  const buildings = useQuery({
    queryKey: ['energy-buildings'],
    queryFn: () => api<Building[]>('GET', '/api/energy/buildings'),
  });
  const columns: Column<Building>[] = [
    {
      key: 'name',
      header: t('energy.building'),
      cell: (b) => (
        <Link to="/energy/buildings/$id" params={{ id: b.id }}>
          {localName(b, lang)}
        </Link>
      ),
      sortValue: (b) => localName(b, lang),
    },
    { key: 'kind', header: t('energy.kind'), cell: (b) => t(`energy.kinds.${b.kind}`) },
    { key: 'kwp', header: t('energy.kwp'), cell: (b) => number(b.kwp, lang), sortValue: (b) => b.kwp },
    {
      key: 'meter',
      header: t('register.energy.meter'),
      cell: (b) => (b.hasMeter ? t('register.yes') : t('register.no')),
    },
    { key: 'zone', header: t('register.zone'), cell: (b) => b.zoneCode ?? '—' },
    {
      key: 'edit',
      header: t('register.actions'),
      cell: (b) => (
        <div className="actions">
          <Button
            variant="secondary"
            aria-label={t('register.editNamed', { name: localName(b, lang) })}
            onClick={() => setOpen(b.id)}
          >
            {t('register.edit')}
          </Button>
          <ConfirmRemove
            name={localName(b, lang)}
            url={`/api/energy/buildings/${encodeURIComponent(b.id)}`}
            question={t('register.energy.removeBuilding')}
            onRemoved={() => {
              if (open === b.id) setOpen(null);
              void client.invalidateQueries({ queryKey: ['energy-buildings'] });
              client.removeQueries({ queryKey: ['energy-building', b.id] });
              heading.current?.focus();
            }}
          />
        </div>
      ),
    },
  ];
  return (
    <>
      <Card>
        <h2 ref={heading} tabIndex={-1}>
          {t('energy.buildings')}
        </h2>
        {buildings.isPending && <Spinner />}
        {buildings.isError && <ErrorState error={buildings.error} onRetry={() => buildings.refetch()} />}
        {buildings.data && (
          <Table
            caption={t('register.energy.caption', { count: buildings.data.length })}
            columns={columns}
            rows={buildings.data}
            rowKey={(b) => b.id}
            empty={t('energy.noBuildings')}
          />
        )}
        <Button onClick={() => setOpen('new')}>{t('register.energy.addBuilding')}</Button>
      </Card>
      {open === 'new' && (
        <Card>
          <BuildingForm key="new" me={me} onDone={(b) => setOpen(b.id)} onCancel={() => setOpen(null)} />
        </Card>
      )}
      {open && open !== 'new' && (
        <BuildingEditor key={open} id={open} me={me} onClose={() => setOpen(null)} />
      )}
    </>
  );
}

/** One building: its own fields, then its installations, each changed in place. */
function BuildingEditor({ id, me, onClose }: { id: string; me: Me; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const heading = useRef<HTMLHeadingElement>(null);
  const [installation, setInstallation] = useState<string | null>(null);
  const page = useQuery({
    queryKey: ['energy-building', id],
    queryFn: () => api<Page>('GET', `/api/energy/buildings/${encodeURIComponent(id)}`),
  });
  if (page.isPending) return <Spinner />;
  if (page.isError) return <ErrorState error={page.error} onRetry={() => page.refetch()} />;
  const { building, installations } = page.data;
  const columns: Column<Installation>[] = [
    { key: 'name', header: t('energy.installation'), cell: (i) => i.name },
    { key: 'kind', header: t('energy.kind'), cell: (i) => t(`energy.installationKinds.${i.kind}`) },
    { key: 'kwp', header: t('energy.kwp'), cell: (i) => number(i.kwp, i18n.language) },
    {
      key: 'installed',
      header: t('energy.installedOn'),
      cell: (i) =>
        i.installedOn ? formatDate(`${i.installedOn}T12:00:00+07:00`, i18n.language, false) : '—',
    },
    {
      key: 'device',
      header: t('register.energy.device'),
      cell: (i) => (i.deviceId ? t('register.energy.linked') : t('register.energy.noDevice')),
    },
    {
      key: 'edit',
      header: t('register.actions'),
      cell: (i) => (
        <div className="actions">
          <Button
            variant="secondary"
            aria-label={t('register.editNamed', { name: i.name })}
            onClick={() => setInstallation(i.id)}
          >
            {t('register.edit')}
          </Button>
          <ConfirmRemove
            name={i.name}
            url={`/api/energy/installations/${encodeURIComponent(i.id)}`}
            question={t('register.energy.removeInstallation')}
            onRemoved={() => {
              if (installation === i.id) setInstallation(null);
              void client.invalidateQueries({ queryKey: ['energy-building', id] });
              void client.invalidateQueries({ queryKey: ['energy-buildings'] });
              heading.current?.focus();
            }}
          />
        </div>
      ),
    },
  ];
  return (
    <>
      <Card>
        <BuildingForm building={building} me={me} onDone={() => undefined} onCancel={onClose} />
      </Card>
      <Card>
        <h2 ref={heading} tabIndex={-1}>
          {t('energy.installations')}
        </h2>
        <Table
          caption={t('register.energy.installationsOf', { name: localName(building, i18n.language) })}
          columns={columns}
          rows={installations}
          rowKey={(i) => i.id}
          empty={t('energy.noInstallations')}
        />
        <Button onClick={() => setInstallation('new')}>{t('register.energy.addInstallation')}</Button>
        {installation && (
          <InstallationForm
            key={installation}
            buildingId={building.id}
            installation={installations.find((i) => i.id === installation)}
            onDone={() => setInstallation(null)}
            onCancel={() => setInstallation(null)}
          />
        )}
      </Card>
    </>
  );
}
