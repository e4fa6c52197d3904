export type Severity = 'extreme' | 'severe' | 'moderate' | 'minor' | 'unknown';
export interface Bilingual {
  th: string;
  en: string;
}
export const pick = (text: Bilingual, language: string) => (language === 'th' ? text.th : text.en) || text.th;
/** Warn tone for the two highest severities, so the badge says it without colour alone. */
export const tone = (s: Severity) => (s === 'extreme' || s === 'severe' ? 'warn' : 'info');
