import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json' with { type: 'json' };
import th from './locales/th.json' with { type: 'json' };

export const languageKey = 'mueang.lang';

function initialLanguage(): 'th' | 'en' {
  try {
    return localStorage.getItem(languageKey) === 'en' ? 'en' : 'th';
  } catch {
    return 'th';
  }
}

i18n.use(initReactI18next).init({
  resources: { th: { translation: th }, en: { translation: en } },
  lng: initialLanguage(),
  fallbackLng: 'th',
  interpolation: { escapeValue: false },
});

document.documentElement.lang = i18n.language;
i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
  try {
    localStorage.setItem(languageKey, lng);
  } catch {}
});

/** Picks the Thai or English field of a record by the current language. */
export function localName(item: { nameTh: string; nameEn: string }, language = i18n.language): string {
  return language === 'en' ? item.nameEn : item.nameTh;
}

export default i18n;
