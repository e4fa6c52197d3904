import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import {
  buildingPatch,
  buildingValues,
  ownerPatch,
  ownerValues,
  parcelPatch,
  parcelValues,
  signPatch,
  signValues,
} from '../../forms/register-edit.ts';
import { Button } from '../../ui/Button.tsx';
import { Badge, Card, ErrorState, Spinner } from '../../ui/States.tsx';
import { Table } from '../../ui/Table.tsx';
import { RegisterEdit } from './RegisterEdit.tsx';
import { AddBuilding } from './RegisterNew.tsx';
import { ParcelPlace, SignPhotos } from './RegisterPlace.tsx';
import { addUseAction, buildingFields, ownerFields, parcelFields, signFields } from './register-fields.ts';
import {
  type BuildingDetail,
  baht,
  num,
  type Opened,
  type OwnerDetail,
  type ParcelDetail,
  type SignDetail,
} from './register-types.ts';

/**
 * The owner's correction form: the owner is read afresh (with the address and version, audited) when
 * the form opens, so the edit is made from the owner as stored, not from the parcel's copy.
 */
export function OwnerEdit({ id, onDone }: { id: string; onDone: () => void }) {
  const { t } = useTranslation();
  const queryKey = ['tax', 'register', 'owners', 'one', id];
  const owner = useQuery({
    queryKey,
    queryFn: () => api<OwnerDetail>('GET', `/api/tax/register/owners/${id}`),
    // Always the stored owner when the form opens (after a stale edit, the current one).
    staleTime: 0,
    gcTime: 0,
  });
  if (owner.isPending) return <Spinner />;
  if (owner.isError) return <ErrorState error={owner.error} />;
  const o = owner.data;
  return (
    <>
      <p>{t('tax.edit.ownerHolds', { parcels: o.parcels, signs: o.signs })}</p>
      <RegisterEdit
        title={t('tax.edit.ownerTitle', { name: o.name })}
        url={`/api/tax/register/owners/${o.id}`}
        fields={ownerFields(t)}
        initial={ownerValues(o)}
        check={(v) => ownerPatch(o, v, o.version)}
        queryKey={queryKey}
        onDone={onDone}
      />
    </>
  );
}

/** One opened parcel, building or sign with its owner and bills, and (for finance staff) its correction form. */
export function Detail({
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
  // What is being corrected: the parcel or sign itself ('self'), its owner ('owner'), or one of the
  // parcel's buildings by id.
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
    <>
      <p data-testid="register-owner">
        {t('tax.declarations.owner')}: {d.owner.name} ({t(`tax.register.ownerKinds.${d.owner.kind}`)}{' '}
        <code>{d.owner.taxId}</code>){' '}
        {canEdit && editing !== 'owner' && (
          <Button variant="link" onClick={() => setEditing('owner')}>
            {t('tax.edit.correctOwner')}
          </Button>
        )}
      </p>
      {canEdit && editing === 'owner' && <OwnerEdit id={d.owner.id} onDone={() => setEditing(null)} />}
    </>
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
          {s.type} · {t(`tax.declare.languages.${s.textLanguage}`)} ·{' '}
          {s.moving ? t('tax.declare.movingYes') : t('tax.declare.static')} ·{' '}
          {t(`tax.declarations.status.${s.status}`)}
          {` · ${t('tax.zone')}: ${s.zone ?? '—'}`}
        </p>
        {s.location && <p>{t('tax.declare.located', { lat: s.location.lat, lon: s.location.lon })}</p>}
        <SignPhotos s={s} canEdit={canEdit} queryKey={queryKey} />
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
      <ul aria-label={t('tax.register.usesHeading')} data-testid="parcel-uses">
        {p.uses.map((u) => (
          <li key={`${u.use}-${u.mainHome ?? ''}-${u.sharePercent}`}>
            {t(`tax.register.uses.${u.use}`)} {u.sharePercent}%
            {/* What changes the tax: the main-home exemption and the vacant-land surcharge. */}
            {u.mainHome && ` · ${t(`tax.register.mainHome.${u.mainHome}`)}`}
            {u.vacantYears !== undefined && ` · ${t('tax.register.vacantFor', { count: u.vacantYears })}`}
          </li>
        ))}
      </ul>
      <ParcelPlace p={p} />
      {canEdit &&
        (editing === 'self' ? (
          <RegisterEdit
            title={t('tax.edit.parcelTitle')}
            url={`/api/tax/register/parcels/${p.id}`}
            fields={(v) => parcelFields(t, v)}
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
      {canEdit && <AddBuilding parcelId={p.id} version={p.version} queryKey={queryKey} />}
      {bills}
    </Card>
  );
}
