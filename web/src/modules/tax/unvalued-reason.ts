import type { TFunction } from 'i18next';

/**
 * Why a parcel got no bill, in the screen's language. The API words the reason in English
 * (assessment-run.ts `unvaluedReason`); its three forms are known here, anything else is shown as sent.
 */
export function unvaluedReason(reason: string, t: TFunction): string {
  if (reason.startsWith('no value per m²')) return t('taxAssess.reasons.noLandValue');
  const depreciation = /^building "(.*)" aged (\d+): no depreciation/.exec(reason);
  if (depreciation)
    return t('taxAssess.reasons.noDepreciation', { kind: depreciation[1], age: depreciation[2] });
  const cost = /^building "(.*)": no cost per m²/.exec(reason);
  if (cost) return t('taxAssess.reasons.noCost', { kind: cost[1] });
  return reason;
}
