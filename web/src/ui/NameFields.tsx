import { useTranslation } from 'react-i18next';
import { TextField } from './TextField.tsx';

/** The Thai and the English name of a registered place, each marked with its language. */
export function NameFields({
  values,
  set,
  err,
}: {
  values: { nameTh: string; nameEn: string };
  set: (k: 'nameTh' | 'nameEn') => (e: { target: { value: string } }) => void;
  err: (field: 'nameTh' | 'nameEn') => string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <>
      <TextField
        label={t('register.nameTh')}
        value={values.nameTh}
        onChange={set('nameTh')}
        error={err('nameTh')}
        lang="th"
      />
      <TextField
        label={t('register.nameEn')}
        value={values.nameEn}
        onChange={set('nameEn')}
        error={err('nameEn')}
        lang="en"
      />
    </>
  );
}
