import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import {
  addUse,
  buildingPatch,
  buildingValues,
  countUses,
  maxUses,
  parcelPatch,
  parcelValues,
  removeUse,
  signPatch,
  signValues,
  uses as useKinds,
  type Values,
} from '../../forms/register-edit.ts';
import { useMe } from '../../session.ts';
import { Button } from '../../ui/Button.tsx';
import { Badge, Card, EmptyState, ErrorState, Spinner } from '../../ui/States.tsx';
import { type Column, Table } from '../../ui/Table.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { type EditField, type FormAction, RegisterEdit } from './RegisterEdit.tsx';

type Kind = 'parcels' | 'buildings' | 'signs' | 'appraisals' | 'depreciation' | 'building-costs';
const kinds: Kind[] = ['parcels', 'buildings', 'signs', 'appraisals', 'depreciation', 'building-costs'];
const pageSize = 20;

interface Page<T> {
  total: number;
  items: T[];
}
interface ParcelRow {
  id: string;
  deedKind: string;
  deedNo: string;
  ownerName: string;
  areaM2: number;
  valuePerM2: number | null;
  zone: string | null;
  buildings: number;
}
interface BuildingRow {
  id: string;
  parcelId: string;
  deedKind: string;
  deedNo: string;
  buildingNo: string | null;
  kind: string;
  ownerName: string;
  floorAreaM2: number;
  ageYears: number;
}
interface SignRow {
  id: string;
  ownerName: string;
  text: string | null;
  widthCm: number;
  heightCm: number;
  type: number;
  moving: boolean;
  status: string;
}
interface AppraisalRow {
  id: string;
  roundFrom: number;
  roundTo: number;
  deedKind: string | null;
  deedNo: string | null;
  zone: string | null;
  block: string | null;
  valuePerM2: number;
}
interface DepreciationRow {
  id: string;
  buildingType: string;
  ageFrom: number;
  depreciationPercent: number;
}
interface BuildingCostRow {
  id: string;
  roundFrom: number;
  roundTo: number;
  buildingType: string;
  code: string | null;
  costPerM2: number;
}
interface Owner {
  id: string;
  kind: 'person' | 'juristic';
  name: string;
  taxId: string;
}
interface BillRef {
  id: string;
  number: string;
  taxYear: number;
  amountSatang: number;
  status: string;
}
interface ParcelDetail {
  id: string;
  version: number;
  deedKind: string;
  deedNo: string;
  areaM2: number;
  valuePerM2: number | null;
  appraisalZone: string | null;
  appraisalBlock: string | null;
  zone: string | null;
  uses: { use: string; sharePercent: number; mainHome?: string; vacantYears?: number }[];
  location: { lon: number; lat: number } | null;
  owner: Owner;
  buildings: {
    id: string;
    version: number;
    buildingNo: string | null;
    kind: string;
    floorAreaM2: number;
    costPerM2Baht: number | null;
    ageYears: number;
    depreciationPercent: number | null;
  }[];
  bills: BillRef[];
}
interface BuildingDetail {
  id: string;
  version: number;
  buildingNo: string | null;
  kind: string;
  floorAreaM2: number;
  costPerM2Baht: number | null;
  ageYears: number;
  depreciationPercent: number | null;
  parcel: { id: string; deedKind: string; deedNo: string };
  owner: Owner;
  bills: BillRef[];
}
interface SignDetail {
  id: string;
  version: number;
  text: string | null;
  widthCm: number;
  heightCm: number;
  type: number;
  moving: boolean;
  status: string;
  photos: number;
  location: { lon: number; lat: number } | null;
  owner: Owner;
  bills: BillRef[];
}

type Opened = { kind: 'parcels' | 'signs' | 'buildings'; id: string } | null;

const num = (n: number, lang: string) => n.toLocaleString(lang === 'th' ? 'th-TH' : 'en-GB');
const baht = (satang: number, lang: string) =>
  (satang / 100).toLocaleString(lang === 'th' ? 'th-TH' : 'en-GB', { minimumFractionDigits: 2 });

/** Finance staff browse the tax register: parcels, buildings and signs, searched and paged; open one. */
export function RegisterPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [kind, setKind] = useState<Kind>('parcels');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(0);
  const [opened, setOpened] = useState<Opened>(null);
  if (me.isPending) return <Spinner />;
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
          <RegisterList kind={kind} q={q} page={page} onPage={setPage} onOpen={setOpened} />
          {opened && (
            <Detail
              key={`${opened.kind}-${opened.id}`}
              opened={opened}
              canEdit={me.data?.role !== 'executive'}
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
}: {
  kind: Kind;
  q: string;
  page: number;
  onPage: (p: number) => void;
  onOpen: (o: Opened) => void;
}) {
  const { t, i18n } = useTranslation();
  const list = useQuery({
    queryKey: ['tax', 'register', kind, q, page],
    queryFn: () => {
      const params = new URLSearchParams({ limit: String(pageSize), offset: String(page * pageSize) });
      if (q) params.set('q', q);
      return api<Page<ParcelRow | BuildingRow | SignRow | AppraisalRow | DepreciationRow | BuildingCostRow>>(
        'GET',
        `/api/tax/register/${kind}?${params}`,
      );
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
      { key: 'type', header: t('tax.register.buildingKind'), cell: (r) => r.buildingType },
      { key: 'code', header: t('tax.register.code'), cell: (r) => r.code ?? '—' },
      { key: 'cost', header: t('tax.register.cost'), cell: (r) => num(r.costPerM2, i18n.language) },
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

function Detail({
  opened,
  canEdit,
  onOpen,
}: {
  opened: NonNullable<Opened>;
  canEdit: boolean;
  onOpen: (o: Opened) => void;
}) {
  const { t, i18n } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  // What is being corrected: the parcel or sign itself ('self'), or one of the parcel's buildings by id.
  const [editing, setEditing] = useState<string | null>(null);
  const queryKey = ['tax', 'register', opened.kind, 'one', opened.id];
  const item = useQuery({
    queryKey,
    queryFn: () =>
      api<ParcelDetail | SignDetail | BuildingDetail>('GET', `/api/tax/register/${opened.kind}/${opened.id}`),
  });
  // Take keyboard and screen-reader users to what they opened, and back to it after an edit.
  useEffect(() => {
    if (item.data && editing === null) heading.current?.focus();
  }, [item.data, editing]);
  if (item.isPending) return <Spinner />;
  if (item.isError) return <ErrorState error={item.error} />;
  const d = item.data;
  const owner = (
    <p>
      {t('tax.declarations.owner')}: {d.owner.name} ({t(`tax.register.ownerKinds.${d.owner.kind}`)}{' '}
      <code>{d.owner.taxId}</code>)
    </p>
  );
  const bills = (
    <>
      <h3>{t('tax.register.billsHeading')}</h3>
      {d.bills.length === 0 ? (
        <p>{t('tax.register.noBills')}</p>
      ) : (
        <ul>
          {d.bills.map((b) => (
            <li key={b.id}>
              {t('tax.year', { year: b.taxYear })} · <code>{b.number}</code> ·{' '}
              {baht(b.amountSatang, i18n.language)} {t('tax.baht')}{' '}
              <Badge tone={b.status === 'open' ? 'warn' : 'info'}>{t(`tax.status.${b.status}`)}</Badge>
            </li>
          ))}
        </ul>
      )}
    </>
  );
  if (opened.kind === 'buildings') {
    const b = d as BuildingDetail;
    const parcelDeed = `${t(`tax.register.deedKinds.${b.parcel.deedKind}`)} ${b.parcel.deedNo}`;
    return (
      <Card data-testid="register-detail">
        <h2 ref={heading} tabIndex={-1}>
          {t('tax.register.building', { no: b.buildingNo ?? '—', kind: b.kind })}
        </h2>
        <p>
          {t('tax.register.onParcel', { deed: parcelDeed })}{' '}
          <Button variant="link" onClick={() => onOpen({ kind: 'parcels', id: b.parcel.id })}>
            {t('tax.register.openParcel')}
          </Button>
        </p>
        {owner}
        <p>
          {t('tax.register.floorArea')}: {num(b.floorAreaM2, i18n.language)} · {t('tax.register.cost')}:{' '}
          {b.costPerM2Baht === null
            ? t('tax.register.fromBuildingAppraisal')
            : num(b.costPerM2Baht, i18n.language)}{' '}
          · {t('tax.register.age')}: {b.ageYears} · {t('tax.register.depreciation')}:{' '}
          {b.depreciationPercent === null ? t('tax.register.fromTable') : `${b.depreciationPercent}%`}
        </p>
        {canEdit &&
          (editing === 'self' ? (
            <RegisterEdit
              title={t('tax.edit.buildingTitle', { no: b.buildingNo ?? b.kind })}
              url={`/api/tax/register/buildings/${b.id}`}
              fields={buildingFields(t)}
              initial={buildingValues(b)}
              check={(v) => buildingPatch(b, v, b.version)}
              queryKey={queryKey}
              onDone={() => setEditing(null)}
            />
          ) : (
            <Button variant="secondary" onClick={() => setEditing('self')}>
              {t('tax.edit.correct')}
            </Button>
          ))}
        {bills}
      </Card>
    );
  }
  if (opened.kind === 'signs') {
    const s = d as SignDetail;
    return (
      <Card data-testid="register-detail">
        <h2 ref={heading} tabIndex={-1}>
          {t('tax.register.sign', { text: s.text ?? '—' })}
        </h2>
        {owner}
        <p>
          {t('tax.declarations.size', { width: s.widthCm, height: s.heightCm })} · {t('tax.declare.type')}{' '}
          {s.type} · {s.moving ? t('tax.declare.movingYes') : t('tax.declare.static')} ·{' '}
          {t(`tax.declarations.status.${s.status}`)} · {t('tax.register.photos', { count: s.photos })}
        </p>
        {s.location && <p>{t('tax.declare.located', { lat: s.location.lat, lon: s.location.lon })}</p>}
        {canEdit &&
          (editing === 'self' ? (
            <RegisterEdit
              title={t('tax.edit.signTitle')}
              url={`/api/tax/register/signs/${s.id}`}
              fields={signFields(t)}
              initial={signValues({ ...s, ownerTaxId: s.owner.taxId })}
              check={(v) => signPatch({ ...s, ownerTaxId: s.owner.taxId }, v, s.version)}
              queryKey={queryKey}
              onDone={() => setEditing(null)}
            />
          ) : (
            <Button variant="secondary" onClick={() => setEditing('self')}>
              {t('tax.edit.correct')}
            </Button>
          ))}
        {bills}
      </Card>
    );
  }
  const p = d as ParcelDetail;
  return (
    <Card data-testid="register-detail">
      <h2 ref={heading} tabIndex={-1}>
        {t('tax.register.parcel', { deed: `${t(`tax.register.deedKinds.${p.deedKind}`)} ${p.deedNo}` })}
      </h2>
      {owner}
      <p>
        {t('tax.register.area')}: {num(p.areaM2, i18n.language)} · {t('tax.register.value')}:{' '}
        {p.valuePerM2 === null ? t('tax.register.fromAppraisal') : num(p.valuePerM2, i18n.language)}
        {p.appraisalZone &&
          ` · ${t('tax.register.appraisalArea', { zone: p.appraisalZone, block: p.appraisalBlock ?? '—' })}`}
        {` · ${t('tax.zone')}: ${p.zone ?? '—'}`}
      </p>
      <ul>
        {p.uses.map((u) => (
          <li key={`${u.use}-${u.sharePercent}`}>
            {t(`tax.register.uses.${u.use}`)} {u.sharePercent}%
          </li>
        ))}
      </ul>
      {canEdit &&
        (editing === 'self' ? (
          <RegisterEdit
            title={t('tax.edit.parcelTitle')}
            url={`/api/tax/register/parcels/${p.id}`}
            fields={(v) => parcelFields(t, countUses(v))}
            actions={[addUseAction(t)]}
            initial={parcelValues({ ...p, ownerTaxId: p.owner.taxId })}
            check={(v) => parcelPatch({ ...p, ownerTaxId: p.owner.taxId }, v, p.version)}
            queryKey={queryKey}
            onDone={() => setEditing(null)}
          />
        ) : (
          <Button variant="secondary" onClick={() => setEditing('self')}>
            {t('tax.edit.correct')}
          </Button>
        ))}
      {p.buildings.length > 0 && (
        <Table
          caption={t('tax.register.kinds.buildings')}
          rows={p.buildings}
          rowKey={(b) => b.id}
          columns={[
            { key: 'no', header: t('tax.register.buildingNo'), cell: (b) => b.buildingNo ?? '—' },
            { key: 'kind', header: t('tax.register.buildingKind'), cell: (b) => b.kind },
            {
              key: 'area',
              header: t('tax.register.floorArea'),
              cell: (b) => num(b.floorAreaM2, i18n.language),
            },
            {
              key: 'cost',
              header: t('tax.register.cost'),
              cell: (b) =>
                b.costPerM2Baht === null
                  ? t('tax.register.fromBuildingAppraisal')
                  : num(b.costPerM2Baht, i18n.language),
            },
            { key: 'age', header: t('tax.register.age'), cell: (b) => b.ageYears },
            {
              key: 'dep',
              header: t('tax.register.depreciation'),
              cell: (b) =>
                b.depreciationPercent === null ? t('tax.register.fromTable') : `${b.depreciationPercent}%`,
            },
            ...(canEdit
              ? [
                  {
                    key: 'edit',
                    header: t('tax.edit.correct'),
                    cell: (b: ParcelDetail['buildings'][number]) => (
                      <Button
                        variant="link"
                        aria-label={t('tax.edit.correctBuilding', { no: b.buildingNo ?? b.kind })}
                        onClick={() => setEditing(b.id)}
                      >
                        {t('tax.edit.correct')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {canEdit &&
        p.buildings
          .filter((b) => b.id === editing)
          .map((b) => (
            <RegisterEdit
              key={b.id}
              title={t('tax.edit.buildingTitle', { no: b.buildingNo ?? b.kind })}
              url={`/api/tax/register/buildings/${b.id}`}
              fields={buildingFields(t)}
              initial={buildingValues(b)}
              check={(v) => buildingPatch(b, v, b.version)}
              queryKey={queryKey}
              onDone={() => setEditing(null)}
            />
          ))}
      {bills}
    </Card>
  );
}

type T = ReturnType<typeof useTranslation>['t'];

const ownerField = (t: T): EditField => ({
  name: 'ownerTaxId',
  label: t('tax.edit.ownerTaxId'),
  hint: t('tax.edit.ownerTaxIdHint'),
  inputMode: 'numeric',
});

function parcelFields(t: T, count: number): EditField[] {
  const useOptions = [
    { value: '', label: t('tax.edit.chooseUse') },
    ...useKinds.map((u) => ({ value: u, label: t(`tax.register.uses.${u}`) })),
  ];
  return [
    ownerField(t),
    { name: 'rai', label: t('tax.edit.rai'), inputMode: 'numeric' },
    { name: 'ngan', label: t('tax.edit.ngan'), hint: t('tax.edit.nganHint'), inputMode: 'numeric' },
    { name: 'wa', label: t('tax.edit.wa'), inputMode: 'decimal' },
    {
      name: 'valuePerM2Baht',
      label: t('tax.register.value'),
      hint: t('tax.edit.emptyFromAppraisal'),
      inputMode: 'decimal',
    },
    { name: 'appraisalZone', label: t('tax.edit.appraisalZone') },
    { name: 'appraisalBlock', label: t('tax.edit.appraisalBlock') },
    ...Array.from({ length: count }, (_, i) => [
      { name: `use${i}`, label: t('tax.edit.use', { n: i + 1 }), options: useOptions },
      {
        name: `share${i}`,
        label: t('tax.edit.share', { n: i + 1 }),
        inputMode: 'decimal' as const,
        // The last use cannot go: a parcel has at least one.
        action:
          count > 1
            ? {
                label: t('tax.edit.removeUse', { n: i + 1 }),
                apply: (v: Values) => removeUse(v, i),
                focus: (v: Values) => `use${Math.min(i, countUses(v) - 1)}`,
                announce: t('tax.edit.useRemoved', { n: i + 1 }),
              }
            : undefined,
      },
    ]).flat(),
  ];
}

const addUseAction = (t: T): FormAction => ({
  label: t('tax.edit.addUse'),
  apply: addUse,
  focus: (v) => `use${countUses(v) - 1}`,
  announce: t('tax.edit.useAdded'),
  hidden: (v) => countUses(v) >= maxUses,
});

function buildingFields(t: T): EditField[] {
  return [
    { name: 'buildingNo', label: t('tax.register.buildingNo') },
    { name: 'kind', label: t('tax.register.buildingKind') },
    { name: 'floorAreaM2', label: t('tax.register.floorArea'), inputMode: 'decimal' },
    {
      name: 'costPerM2Baht',
      label: t('tax.register.cost'),
      hint: t('tax.edit.emptyFromBuildingAppraisal'),
      inputMode: 'decimal',
    },
    { name: 'ageYears', label: t('tax.register.age'), inputMode: 'numeric' },
    {
      name: 'depreciationPercent',
      label: t('tax.register.depreciation'),
      hint: t('tax.edit.emptyFromTable'),
      inputMode: 'decimal',
    },
  ];
}

function signFields(t: T): EditField[] {
  return [
    ownerField(t),
    { name: 'widthCm', label: t('tax.edit.widthCm'), inputMode: 'decimal' },
    { name: 'heightCm', label: t('tax.edit.heightCm'), inputMode: 'decimal' },
    {
      name: 'type',
      label: t('tax.declare.type'),
      options: ['1', '2', '3'].map((v) => ({ value: v, label: v })),
    },
    {
      name: 'moving',
      label: t('tax.edit.moving'),
      options: [
        { value: 'false', label: t('tax.declare.static') },
        { value: 'true', label: t('tax.declare.movingYes') },
      ],
    },
    { name: 'text', label: t('tax.declare.text') },
  ];
}
