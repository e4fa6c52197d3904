import type { Config } from '../../core/config.ts';

/** The municipality as its bills and receipts name it (configuration, docs/configuration.md). */
export interface Municipality {
  nameTh: string;
  nameEn: string;
  addressTh: string;
  addressEn: string;
  taxId?: string;
  phone?: string;
}

export const municipalityOf = (c: Config): Municipality => ({
  nameTh: c.MUNICIPALITY_NAME_TH,
  nameEn: c.MUNICIPALITY_NAME_EN,
  addressTh: c.MUNICIPALITY_ADDRESS_TH,
  addressEn: c.MUNICIPALITY_ADDRESS_EN,
  taxId: c.MUNICIPALITY_TAX_ID,
  phone: c.MUNICIPALITY_PHONE,
});
