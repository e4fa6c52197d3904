import { useTranslation } from 'react-i18next';
import { PlacePicker } from './PlacePicker.tsx';
import { TextField } from './TextField.tsx';

/** Latitude and longitude as typed (the keyboard way) and the shared map picker (a tap). */
export function PointFields({
  values,
  set,
  err,
}: {
  values: { lat: string; lon: string };
  set: (k: 'lat' | 'lon') => (e: { target: { value: string } }) => void;
  err: (field: 'lat' | 'lon', path: string) => string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <fieldset>
      <legend>{t('register.location')}</legend>
      <div className="inline-form">
        <TextField
          label={t('register.lat')}
          inputMode="decimal"
          autoComplete="off"
          value={values.lat}
          onChange={set('lat')}
          error={err('lat', '/location/lat')}
        />
        <TextField
          label={t('register.lon')}
          inputMode="decimal"
          autoComplete="off"
          value={values.lon}
          onChange={set('lon')}
          error={err('lon', '/location/lon')}
        />
      </div>
      <PlacePicker
        lat={values.lat}
        lon={values.lon}
        onPick={(p) => {
          set('lat')({ target: { value: String(p.lat) } });
          set('lon')({ target: { value: String(p.lon) } });
        }}
        text={{ hint: t('register.pick.hint'), map: t('register.pick.map'), pin: t('register.pick.pin') }}
      />
    </fieldset>
  );
}
