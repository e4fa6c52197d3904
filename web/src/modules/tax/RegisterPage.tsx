import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { ownerNew } from '../../forms/register-edit.ts';
import { useMe } from '../../session.ts';
import { Button } from '../../ui/Button.tsx';
import { EmptyState, ErrorState, Spinner } from '../../ui/States.tsx';
import { type Column, Table } from '../../ui/Table.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { OwnerCard } from './OwnerCard.tsx';
import { Detail } from './RegisterDetail.tsx';
import { RegisterEdit } from './RegisterEdit.tsx';
import { RegisterNew } from './RegisterNew.tsx';
import { ownerFields } from './register-fields.ts';
import {
  type AppraisalRow,
  type BuildingCostRow,
  type BuildingRow,
  type DepreciationRow,
  type Kind,
  kinds,
  num,
  type Opened,
  type OwnerRow,
  type Page,
  type ParcelRow,
  pageSize,
  type SignRow,
} from './register-types.ts';

/** Finance staff browse the tax register: parcels, buildings and signs, searched and paged; open one. */
export function RegisterPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [kind, setKind] = useState<Kind>('parcels');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(0);
  const [opened, setOpened] = useState<Opened>(null);
  const [openedOwner, setOpenedOwner] = useState<string | null>(null);
  // Registering a new owner: the form is open, or the last one was registered.
  const [newOwner, setNewOwner] = useState<'form' | 'done' | null>(null);
  if (me.isPending) return <Spinner />;
  const canEdit = me.data?.role !== 'executive';
  const finance =
    me.data?.kind === 'staff' &&
    (me.data.role === 'admin' ||
      me.data.role === 'executive' ||
      ((me.data.role === 'officer' || me.data.role === 'office_manager') &&
        me.data.officeCode === 'finance'));
  return (
    <section>
      <p>
        <Link to="/tax">{t('tax.register.back')}</Link>
      </p>
      <h1>{t('tax.register.title')}</h1>
      {!finance ? (
        <EmptyState>{t('tax.register.financeOnly')}</EmptyState>
      ) : (
        <>
          <fieldset className="inline-form register-kinds">
            <legend className="visually-hidden">{t('tax.register.what')}</legend>
            {kinds.map((k) => (
              <Button
                key={k}
                variant={k === kind ? 'primary' : 'secondary'}
                aria-pressed={k === kind}
                onClick={() => {
                  setKind(k);
                  setPage(0);
                  setOpened(null);
                  setOpenedOwner(null);
                }}
              >
                {t(`tax.register.kinds.${k}`)}
              </Button>
            ))}
          </fieldset>
          <form
            aria-label={t('tax.register.searchForm')}
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              setQ(String(new FormData(e.currentTarget).get('q') ?? '').trim());
              setPage(0);
              setOpened(null);
              setOpenedOwner(null);
            }}
          >
            <TextField
              label={t('tax.register.search')}
              hint={t(`tax.register.searchHints.${kind}`)}
              name="q"
              type="search"
              maxLength={100}
              defaultValue={q}
            />
            <Button type="submit">{t('tax.register.find')}</Button>
          </form>
          {canEdit &&
            (newOwner === 'form' ? (
              <RegisterEdit
                title={t('tax.edit.newOwnerTitle')}
                url="/api/tax/owners"
                method="POST"
                submitLabel={t('tax.edit.newOwnerSave')}
                fields={ownerFields(t)}
                initial={{ kind: 'person', taxId: '', name: '', address: '' }}
                check={ownerNew}
                queryKey={['tax', 'register']}
                onDone={(saved) => setNewOwner(saved ? 'done' : null)}
              />
            ) : (
              <p>
                <Button variant="secondary" onClick={() => setNewOwner('form')}>
                  {t('tax.edit.newOwner')}
                </Button>
              </p>
            ))}
          {newOwner === 'done' && <p role="status">{t('tax.edit.newOwnerDone')}</p>}
          {canEdit && <RegisterNew />}
          <RegisterList
            kind={kind}
            q={q}
            page={page}
            onPage={setPage}
            onOpen={setOpened}
            onOpenOwner={setOpenedOwner}
          />
          {openedOwner && (
            <OwnerCard
              key={openedOwner}
              id={openedOwner}
              canEdit={canEdit}
              onClose={() => setOpenedOwner(null)}
            />
          )}
          {opened && (
            <Detail
              key={`${opened.kind}-${opened.id}`}
              opened={opened}
              canEdit={canEdit}
              onOpen={setOpened}
            />
          )}
        </>
      )}
    </section>
  );
}

function RegisterList({
  kind,
  q,
  page,
  onPage,
  onOpen,
  onOpenOwner,
}: {
  kind: Kind;
  q: string;
  page: number;
  onPage: (p: number) => void;
  onOpen: (o: Opened) => void;
  onOpenOwner: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const list = useQuery({
    queryKey: ['tax', 'register', kind, q, page],
    queryFn: () => {
      const params = new URLSearchParams({ limit: String(pageSize), offset: String(page * pageSize) });
      if (q) params.set('q', q);
      return api<
        Page<ParcelRow | BuildingRow | SignRow | OwnerRow | AppraisalRow | DepreciationRow | BuildingCostRow>
      >('GET', `/api/tax/register/${kind}?${params}`);
    },
    // Keep the last page on screen while the next loads, but never another kind's rows under this
    // kind's columns (switching from parcels to buildings crashed on the parcels' missing fields).
    placeholderData: (previous, query) =>
      query?.queryKey[2] === kind ? keepPreviousData(previous) : undefined,
  });
  if (list.isPending) return <Spinner />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  const server = { total: list.data.total, page, onPage };
  const caption = t('tax.register.caption', {
    what: t(`tax.register.kinds.${kind}`),
    total: list.data.total,
  });
  const open = (label: string, o: Opened) => (
    <Button
      variant="link"
      onClick={() => onOpen(o)}
      aria-label={t('tax.register.openLabel', { what: label })}
    >
      {t('tax.register.open')}
    </Button>
  );
  // Every kind is the same server-paged table; only its rows and columns differ.
  const table = <R extends { id: string }>(columns: Column<R>[]) => (
    <Table
      caption={caption}
      rows={list.data.items as unknown as R[]}
      rowKey={(r) => r.id}
      columns={columns}
      pageSize={pageSize}
      server={server}
      empty={t('tax.register.none')}
    />
  );
  const deed = (r: { deedKind: string; deedNo: string }) =>
    `${t(`tax.register.deedKinds.${r.deedKind}`)} ${r.deedNo}`;
  if (kind === 'parcels') {
    const columns: Column<ParcelRow>[] = [
      { key: 'deed', header: t('tax.register.deed'), cell: deed },
      { key: 'owner', header: t('tax.declarations.owner'), cell: (r) => r.ownerName },
      { key: 'area', header: t('tax.register.area'), cell: (r) => num(r.areaM2, i18n.language) },
      {
        key: 'value',
        header: t('tax.register.value'),
        cell: (r) =>
          r.valuePerM2 === null ? t('tax.register.fromAppraisal') : num(r.valuePerM2, i18n.language),
      },
      { key: 'zone', header: t('tax.zone'), cell: (r) => r.zone ?? '—' },
      { key: 'buildings', header: t('tax.register.kinds.buildings'), cell: (r) => r.buildings },
      {
        key: 'open',
        header: t('tax.declarations.action'),
        cell: (r) => open(deed(r), { kind: 'parcels', id: r.id }),
      },
    ];
    return table<ParcelRow>(columns);
  }
  if (kind === 'buildings') {
    const columns: Column<BuildingRow>[] = [
      { key: 'deed', header: t('tax.register.deed'), cell: deed },
      { key: 'no', header: t('tax.register.buildingNo'), cell: (r) => r.buildingNo ?? '—' },
      { key: 'kind', header: t('tax.register.buildingKind'), cell: (r) => r.kind },
      { key: 'owner', header: t('tax.declarations.owner'), cell: (r) => r.ownerName },
      { key: 'area', header: t('tax.register.floorArea'), cell: (r) => num(r.floorAreaM2, i18n.language) },
      { key: 'age', header: t('tax.register.age'), cell: (r) => r.ageYears },
      {
        key: 'open',
        header: t('tax.declarations.action'),
        cell: (r) => open(`${deed(r)} ${r.buildingNo ?? r.kind}`, { kind: 'buildings', id: r.id }),
      },
    ];
    return table<BuildingRow>(columns);
  }
  if (kind === 'owners') {
    const columns: Column<OwnerRow>[] = [
      { key: 'name', header: t('tax.edit.ownerName'), cell: (r) => r.name },
      { key: 'kind', header: t('tax.edit.ownerKind'), cell: (r) => t(`tax.register.ownerKinds.${r.kind}`) },
      { key: 'id', header: t('tax.edit.taxId'), cell: (r) => <code>{r.taxIdMasked}</code> },
      { key: 'parcels', header: t('tax.register.kinds.parcels'), cell: (r) => r.parcels },
      { key: 'signs', header: t('tax.register.kinds.signs'), cell: (r) => r.signs },
      {
        key: 'open',
        header: t('tax.declarations.action'),
        cell: (r) => (
          <Button
            variant="link"
            onClick={() => onOpenOwner(r.id)}
            aria-label={t('tax.register.openLabel', { what: r.name })}
          >
            {t('tax.register.open')}
          </Button>
        ),
      },
    ];
    return table<OwnerRow>(columns);
  }
  if (kind === 'appraisals') {
    const columns: Column<AppraisalRow>[] = [
      { key: 'round', header: t('tax.register.round'), cell: (r) => `${r.roundFrom}–${r.roundTo}` },
      {
        key: 'where',
        header: t('tax.register.appraisalWhere'),
        cell: (r) =>
          r.deedNo
            ? deed({ deedKind: r.deedKind ?? 'other', deedNo: r.deedNo })
            : t('tax.register.appraisalArea', { zone: r.zone, block: r.block ?? '—' }),
      },
      { key: 'value', header: t('tax.register.value'), cell: (r) => num(r.valuePerM2, i18n.language) },
    ];
    return table<AppraisalRow>(columns);
  }
  if (kind === 'depreciation') {
    const columns: Column<DepreciationRow>[] = [
      { key: 'type', header: t('tax.register.buildingKind'), cell: (r) => r.buildingType },
      { key: 'age', header: t('tax.register.ageFrom'), cell: (r) => r.ageFrom },
      { key: 'dep', header: t('tax.register.depreciation'), cell: (r) => `${r.depreciationPercent}%` },
    ];
    return table<DepreciationRow>(columns);
  }
  if (kind === 'building-costs') {
    const columns: Column<BuildingCostRow>[] = [
      { key: 'round', header: t('tax.register.round'), cell: (r) => `${r.roundFrom}–${r.roundTo}` },
      { key: 'code', header: t('tax.register.code'), cell: (r) => r.code ?? '—' },
      {
        key: 'type',
        header: t('tax.register.buildingKind'),
        // The Treasury's type is Thai; the English name is ours and may be missing.
        cell: (r) => (i18n.language === 'en' && r.buildingTypeEn ? r.buildingTypeEn : r.buildingType),
      },
      { key: 'cost', header: t('tax.register.cost'), cell: (r) => num(r.costPerM2, i18n.language) },
      { key: 'note', header: t('tax.register.note'), cell: (r) => r.note ?? '—' },
    ];
    return table<BuildingCostRow>(columns);
  }
  const columns: Column<SignRow>[] = [
    { key: 'text', header: t('tax.declare.text'), cell: (r) => r.text ?? '—' },
    { key: 'owner', header: t('tax.declarations.owner'), cell: (r) => r.ownerName },
    {
      key: 'size',
      header: t('tax.declarations.sizeHeader'),
      cell: (r) => t('tax.declarations.size', { width: r.widthCm, height: r.heightCm }),
    },
    { key: 'type', header: t('tax.declare.type'), cell: (r) => r.type },
    {
      key: 'status',
      header: t('tax.register.status'),
      cell: (r) => t(`tax.declarations.status.${r.status}`),
    },
    {
      key: 'open',
      header: t('tax.declarations.action'),
      cell: (r) => open(r.text ?? r.ownerName, { kind: 'signs', id: r.id }),
    },
  ];
  return table<SignRow>(columns);
}
