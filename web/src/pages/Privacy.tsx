import { useTranslation } from 'react-i18next';
import { localName } from '../i18n.ts';
import { useMeta } from '../session.ts';

const sections = ['controller', 'data', 'purpose', 'nationalId', 'access', 'retention', 'rights', 'contact'];

/** The privacy notice a citizen consents to when signing up (PDPA B.E. 2562). */
export function PrivacyPage() {
  const { t, i18n } = useTranslation();
  const meta = useMeta().data;
  const city = meta ? localName(meta.city, i18n.language) : t('privacy.theMunicipality');
  return (
    <article className="narrow prose">
      <h1>{t('privacy.title')}</h1>
      <p>{t('privacy.lead', { city })}</p>
      {sections.map((id) => (
        <section key={id}>
          <h2>{t(`privacy.${id}.title`)}</h2>
          <p>{t(`privacy.${id}.body`, { city })}</p>
        </section>
      ))}
      <p className="hint">{t('privacy.template')}</p>
    </article>
  );
}
