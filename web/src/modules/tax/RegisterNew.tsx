import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Values } from '../../forms/register-edit.ts';
import { buildingNew, deedKinds, parcelNew, signNew } from '../../forms/register-new.ts';
import { Button } from '../../ui/Button.tsx';
import { type EditField, RegisterEdit } from './RegisterEdit.tsx';
import { addUseAction, buildingFields, parcelFields, signFields, type T } from './register-fields.ts';

const pointFields = (t: T): EditField[] => [
  { name: 'lon', label: t('tax.newRecord.lon'), hint: t('tax.newRecord.lonHint'), inputMode: 'decimal' },
  { name: 'lat', label: t('tax.newRecord.lat'), hint: t('tax.newRecord.latHint'), inputMode: 'decimal' },
];

function newParcelFields(t: T, v: Values): EditField[] {
  const [owner, ...rest] = parcelFields(t, v);
  return [
    owner,
    {
      name: 'deedKind',
      label: t('tax.newRecord.deedKind'),
      options: deedKinds.map((k) => ({ value: k, label: t(`tax.register.deedKinds.${k}`) })),
    },
    { name: 'deedNo', label: t('tax.newRecord.deedNo') },
    ...rest,
    ...pointFields(t),
  ];
}

const parcelStart: Values = {
  deedKind: 'chanote',
  uses: '1',
  from0: '',
  use0: '',
  share0: '100',
  rai: '',
  ngan: '0',
  wa: '0',
};
const signStart: Values = { textLanguage: 'thai-only', moving: 'false' };

/**
 * Register a parcel or a sign by form, the owner named by tax ID (`POST /api/tax/register/parcels`
 * and `/signs`); each refusal beside its field, as in the correction forms.
 */
export function RegisterNew() {
  const { t } = useTranslation();
  const [open, setOpen] = useState<'parcel' | 'sign' | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const finish = (what: 'parcel' | 'sign') => (saved?: { id: string }) => {
    setOpen(null);
    setDone(saved ? t(`tax.newRecord.${what}Done`) : null);
  };
  if (open === 'parcel')
    return (
      <RegisterEdit
        title={t('tax.newRecord.parcelTitle')}
        url="/api/tax/register/parcels"
        method="POST"
        submitLabel={t('tax.newRecord.parcelSave')}
        fields={(v) => newParcelFields(t, v)}
        actions={[addUseAction(t)]}
        initial={parcelStart}
        check={parcelNew}
        queryKey={['tax', 'register']}
        onDone={finish('parcel')}
      />
    );
  if (open === 'sign')
    return (
      <RegisterEdit
        title={t('tax.newRecord.signTitle')}
        url="/api/tax/register/signs"
        method="POST"
        submitLabel={t('tax.newRecord.signSave')}
        fields={[...signFields(t), ...pointFields(t)]}
        initial={signStart}
        check={signNew}
        queryKey={['tax', 'register']}
        onDone={finish('sign')}
      />
    );
  return (
    <>
      <p>
        <Button variant="secondary" onClick={() => setOpen('parcel')}>
          {t('tax.newRecord.parcel')}
        </Button>{' '}
        <Button variant="secondary" onClick={() => setOpen('sign')}>
          {t('tax.newRecord.sign')}
        </Button>
      </p>
      {done && <p role="status">{done}</p>}
    </>
  );
}

/** Add a building to an opened parcel; the body names the parcel's version (a stale one: 409). */
export function AddBuilding({
  parcelId,
  version,
  queryKey,
}: {
  parcelId: string;
  version: number;
  queryKey: unknown[];
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState(false);
  if (open)
    return (
      <RegisterEdit
        title={t('tax.newRecord.buildingTitle')}
        url={`/api/tax/register/parcels/${parcelId}/buildings`}
        method="POST"
        submitLabel={t('tax.newRecord.buildingSave')}
        fields={buildingFields(t)}
        initial={{}}
        check={(v) => buildingNew(v, version)}
        queryKey={queryKey}
        onDone={(saved) => {
          setOpen(false);
          setDone(Boolean(saved));
        }}
      />
    );
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        {t('tax.newRecord.building')}
      </Button>
      {done && <p role="status">{t('tax.newRecord.buildingDone')}</p>}
    </>
  );
}
