import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/Button.tsx';
import { bandTables, ceilings, type Draft, getAt } from './rate-draft.ts';

/** The input's id for a field's JSON pointer, so an error summary links to it. */
export const fieldId = (path: string) => `rate${path.replace(/\//g, '-')}`;

interface Props {
  draft: Draft;
  /** Inputs when set (editing), text when not. */
  edit?: {
    onChange: (path: string, value: string) => void;
    onAddBand: (table: string) => void;
    onRemoveBand: (table: string, index: number) => void;
    /** Pointer → message, the form's own or the server's. */
    errors: Record<string, string>;
  };
}

/**
 * A tax year's rates: the land and building bands of each use with the law's ceiling, the vacant-land
 * surcharge, exemptions, the decreed reduction, the signboard rates, the late rules and instalments.
 */
export function RatesSheet({ draft, edit }: Props) {
  const { t, i18n } = useTranslation();
  const shown = (path: string) => {
    const n = Number(getAt(draft, path));
    return Number.isNaN(n)
      ? String(getAt(draft, path))
      : n.toLocaleString(i18n.language === 'th' ? 'th-TH' : 'en-GB');
  };
  const value = (path: string, label: string) => {
    if (!edit) return shown(path);
    const error = edit.errors[path];
    const id = fieldId(path);
    return (
      <>
        <input
          id={id}
          className="rate-input"
          inputMode="decimal"
          aria-label={label}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          value={String(getAt(draft, path))}
          onChange={(e) => edit.onChange(path, e.target.value)}
        />
        {error && (
          <span id={`${id}-error`} className="field-error">
            {error}
          </span>
        )}
      </>
    );
  };
  /** A table of label → value rows. */
  const pairs = (caption: string, rows: [string, string][]) => (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <tbody>
          {rows.map(([path, label]) => (
            <tr key={path}>
              <th scope="row">{label}</th>
              <td>{value(path, label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  const lb = getAt(draft, '/landBuilding') as Record<string, Draft[]>;
  return (
    <div className="rates-sheet">
      <h2>{t('tax.rates.landBuilding')}</h2>
      {bandTables.map((table) => {
        const name = t(`tax.rates.uses.${table}`);
        return (
          <div className="table-wrap" key={table}>
            <table>
              <caption>
                {name} · {t('tax.rates.ceiling', { ceiling: ceilings[table] })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('tax.rates.band')}</th>
                  <th scope="col">{t('tax.rates.fromBaht')}</th>
                  <th scope="col">{t('tax.rates.ratePercent')}</th>
                  {edit && <th scope="col">{t('tax.rates.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {lb[table].map((_, i) => {
                  const at = `/landBuilding/${table}/${i}`;
                  const band = t('tax.rates.bandN', { n: i + 1 });
                  return (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a band is its place in the table.
                    <tr key={i}>
                      <th scope="row">{band}</th>
                      <td>{value(`${at}/fromBaht`, `${name}, ${band}: ${t('tax.rates.fromBaht')}`)}</td>
                      <td>{value(`${at}/ratePercent`, `${name}, ${band}: ${t('tax.rates.ratePercent')}`)}</td>
                      {edit && (
                        <td>
                          {lb[table].length > 1 && (
                            <Button variant="secondary" onClick={() => edit.onRemoveBand(table, i)}>
                              {t('tax.rates.removeBand', { use: name, n: i + 1 })}
                            </Button>
                          )}
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {edit && lb[table].length < 20 && (
              <Button variant="secondary" onClick={() => edit.onAddBand(table)}>
                {t('tax.rates.addBand', { use: name })}
              </Button>
            )}
          </div>
        );
      })}
      {pairs(t('tax.rates.vacantAndReduction'), [
        ['/landBuilding/vacantSurchargePercentPer3Years', t('tax.rates.vacantSurcharge')],
        ['/landBuilding/vacantMaxPercent', t('tax.rates.vacantMax')],
        ['/reductionPercent', t('tax.rates.reduction')],
      ])}
      {pairs(t('tax.rates.exemptions'), [
        ['/landBuilding/exemptions/mainHomeOwnerOfLandAndBuilding', t('tax.rates.exemptLandAndHome')],
        ['/landBuilding/exemptions/mainHomeBuildingOnly', t('tax.rates.exemptHomeOnly')],
        ['/landBuilding/exemptions/agricultureIndividual', t('tax.rates.exemptFarmer')],
      ])}
      <h2>{t('tax.rates.sign')}</h2>
      <div className="table-wrap">
        <table>
          <caption>{t('tax.rates.signCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('tax.rates.signType')}</th>
              <th scope="col">{t('tax.rates.moving')}</th>
              <th scope="col">{t('tax.rates.static')}</th>
            </tr>
          </thead>
          <tbody>
            {(['1', '2', '3'] as const).map((type) => {
              const name = t(`tax.rates.signTypes.${type}`);
              return (
                <tr key={type}>
                  <th scope="row">{name}</th>
                  <td>{value(`/sign/per500cm2/${type}/moving`, `${name}: ${t('tax.rates.moving')}`)}</td>
                  <td>{value(`/sign/per500cm2/${type}/static`, `${name}: ${t('tax.rates.static')}`)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {pairs(t('tax.rates.signMinimumCaption'), [['/sign/minimumBaht', t('tax.rates.signMinimum')]])}
      <p className="hint">{t('tax.rates.signNoCeiling')}</p>
      <h2>{t('tax.rates.lateAndInstalments')}</h2>
      {pairs(t('tax.rates.lateLandBuilding'), [
        ['/late/landBuilding/surchargePercentPerMonth', t('tax.rates.surcharge')],
        ['/late/landBuilding/penaltyPercent', t('tax.rates.penaltyAfterReminder')],
        ['/late/landBuilding/penaltyBeforeReminderPercent', t('tax.rates.penaltyBeforeReminder')],
        ['/late/landBuilding/penaltyWithinReminderPercent', t('tax.rates.penaltyWithinReminder')],
      ])}
      {pairs(t('tax.rates.lateSign'), [
        ['/late/sign/surchargePercentPerMonth', t('tax.rates.surcharge')],
        ['/late/sign/penaltyPercent', t('tax.rates.penalty')],
        ['/late/sign/lateFilingPercent', t('tax.rates.lateFiling')],
        ['/late/sign/lateFilingBeforeNoticePercent', t('tax.rates.lateFilingBeforeNotice')],
        ['/late/sign/understatementPercent', t('tax.rates.understatement')],
      ])}
      {pairs(t('tax.rates.instalments'), [
        ['/instalments/minimumBaht', t('tax.rates.instalmentMinimum')],
        ['/instalments/count', t('tax.rates.instalmentCount')],
      ])}
      {pairs(t('tax.rates.instalmentsSign'), [
        ['/instalments/sign/minimumBaht', t('tax.rates.instalmentMinimum')],
        ['/instalments/sign/count', t('tax.rates.instalmentCount')],
      ])}
    </div>
  );
}
