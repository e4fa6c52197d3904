/** The correction form's fields for a parcel, a building, a sign and an owner (checked by forms/register-edit.ts). */
import type { useTranslation } from 'react-i18next';
import { textLanguages, typeOfLanguage } from '../../forms/declaration.ts';
import {
  addUse,
  countUses,
  mainHomes,
  maxUses,
  removeUse,
  uses as useKinds,
  type Values,
} from '../../forms/register-edit.ts';
import type { EditField, FormAction } from './RegisterEdit.tsx';

export type T = ReturnType<typeof useTranslation>['t'];

export const ownerField = (t: T): EditField => ({
  name: 'ownerTaxId',
  label: t('tax.edit.ownerTaxId'),
  hint: t('tax.edit.ownerTaxIdHint'),
  inputMode: 'numeric',
});

/**
 * A parcel's fields. Each use row has its use, then its main-home status if it is residential or its
 * years left vacant if it is vacant land (the only uses they apply to), then its share.
 */
export function parcelFields(t: T, values: Values): EditField[] {
  const count = countUses(values);
  const useOptions = [
    { value: '', label: t('tax.edit.chooseUse') },
    ...useKinds.map((u) => ({ value: u, label: t(`tax.register.uses.${u}`) })),
  ];
  const homeOptions = mainHomes.map((h) => ({ value: h, label: t(`tax.edit.homes.${h || 'none'}`) }));
  const status = (i: number): EditField[] => {
    if (values[`use${i}`] === 'residential')
      return [{ name: `home${i}`, label: t('tax.edit.mainHome', { n: i + 1 }), options: homeOptions }];
    if (values[`use${i}`] === 'vacant')
      return [
        {
          name: `vacant${i}`,
          label: t('tax.edit.vacantYears', { n: i + 1 }),
          hint: t('tax.edit.vacantYearsHint'),
          inputMode: 'numeric',
        },
      ];
    return [];
  };
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
    { name: 'boundary', label: t('tax.edit.boundary'), hint: t('tax.edit.boundaryHint'), multiline: true },
    ...Array.from({ length: count }, (_, i) => [
      { name: `use${i}`, label: t('tax.edit.use', { n: i + 1 }), options: useOptions },
      ...status(i),
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

export const addUseAction = (t: T): FormAction => ({
  label: t('tax.edit.addUse'),
  apply: addUse,
  focus: (v) => `use${countUses(v) - 1}`,
  announce: t('tax.edit.useAdded'),
  hidden: (v) => countUses(v) >= maxUses,
});

export function buildingFields(t: T): EditField[] {
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

export function signFields(t: T): EditField[] {
  return [
    ownerField(t),
    { name: 'widthCm', label: t('tax.edit.widthCm'), inputMode: 'decimal' },
    { name: 'heightCm', label: t('tax.edit.heightCm'), inputMode: 'decimal' },
    {
      name: 'textLanguage',
      label: t('tax.edit.textLanguage'),
      options: textLanguages.map((l) => ({
        value: l,
        label: t('tax.declare.languageOption', {
          language: t(`tax.declare.languages.${l}`),
          type: typeOfLanguage(l),
        }),
      })),
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

export function ownerFields(t: T): EditField[] {
  return [
    {
      name: 'kind',
      label: t('tax.edit.ownerKind'),
      options: (['person', 'juristic'] as const).map((k) => ({
        value: k,
        label: t(`tax.register.ownerKinds.${k}`),
      })),
    },
    { name: 'taxId', label: t('tax.edit.taxId'), hint: t('tax.edit.taxIdHint'), inputMode: 'numeric' },
    { name: 'name', label: t('tax.edit.ownerName') },
    { name: 'address', label: t('tax.edit.ownerAddress'), hint: t('tax.edit.ownerAddressHint') },
  ];
}
