import type { TFunction } from 'i18next';

/** Why a file row was refused, as the API answers it (register imports and bank statements). */
export interface RowError {
  line: number;
  /** The English sentence; `code` and `params` say it in the reader's language (older imports lack them). */
  error: string;
  code?: string;
  params?: Record<string, string | number>;
}

/**
 * A refused row's reason in the reader's language, from its code (src/modules/tax/import-reasons.ts);
 * the English sentence otherwise.
 */
export function reasonText(t: TFunction, r: Omit<RowError, 'line'>): string {
  if (!r.code) return r.error;
  if (r.code === 'invalid') {
    const type = r.params?.type;
    const p = {
      ...r.params,
      ...(type === undefined ? {} : { type: t(`tax.import.types.${type}`, { defaultValue: String(type) }) }),
      defaultValue: '',
    };
    const rule = t(`tax.import.invalid.${r.params?.rule}`, p);
    return `${r.params?.column || t('tax.import.row')}: ${rule || t('tax.import.invalid.other', p)}`;
  }
  return t(`tax.import.codes.${r.code}`, { ...r.params, defaultValue: r.error });
}
