import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { msg, registerMessages } from '../../core/i18n.ts';

/**
 * A signboard's text language as the Signboard Tax Act B.E. 2510 (s. 6) sorts signs into types:
 * type 1 Thai letters only; type 2 Thai mixed with foreign letters and/or pictures or other marks;
 * type 3 no Thai letters at all (pictures or not), or Thai letters partly or wholly below foreign
 * ones. The language decides the type (migration 0019 keeps the column beside `sign_type`).
 */
export const textLanguages = ['thai-only', 'thai-mixed', 'no-thai-or-thai-below'] as const;
export type TextLanguage = (typeof textLanguages)[number];
export type SignType = 1 | 2 | 3;

export const TextLanguageSchema = Type.Union(
  textLanguages.map((l) => Type.Literal(l)),
  {
    description:
      'thai-only (type 1), thai-mixed: Thai with foreign letters, pictures or marks (type 2), no-thai-or-thai-below (type 3)',
  },
);

export const typeOf = (language: TextLanguage): SignType => (textLanguages.indexOf(language) + 1) as SignType;
export const languageOf = (type: SignType): TextLanguage => textLanguages[type - 1];

registerMessages({
  'tax.sign_type_language': {
    th: 'ประเภทป้ายไม่ตรงกับภาษาของข้อความ',
    en: "The sign's type does not match its text language",
  },
  'tax.sign_type_follows': {
    th: 'ภาษาของข้อความ ({language}) ทำให้เป็นป้ายประเภท {expected} ตาม พ.ร.บ. ภาษีป้าย ไม่ใช่ประเภท {type}',
    en: 'its text language ({language}) makes it a type {expected} sign under the Signboard Tax Act, not type {type}',
  },
  'tax.sign_language_required': {
    th: 'ระบุภาษาของข้อความบนป้าย (หรือประเภทป้าย)',
    en: "give the sign's text language (or its type)",
  },
});

/**
 * The type a sign is taxed as, from its language, its type, or both (which must agree: 422
 * `tax.sign_type_language` beside `/type`). Neither is 400 beside `/textLanguage`.
 */
export function signTypeFrom(s: { type?: SignType; textLanguage?: TextLanguage }): SignType {
  if (s.textLanguage === undefined) {
    if (s.type === undefined)
      throw AppError.badRequest('request.invalid', msg('tax.sign_language_required'), [
        { path: '/textLanguage', message: msg('tax.sign_language_required') },
      ]);
    return s.type;
  }
  const expected = typeOf(s.textLanguage);
  if (s.type !== undefined && s.type !== expected) {
    const text = msg('tax.sign_type_follows', { language: s.textLanguage, expected, type: s.type });
    throw new AppError(422, 'tax.sign_type_language', text, [{ path: '/type', message: text }]);
  }
  return expected;
}
