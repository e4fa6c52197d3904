import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useMe } from '../../session.ts';
import { Badge, EmptyState, ErrorState, Spinner } from '../../ui/States.tsx';

type Status = 'open' | 'nothing_due' | 'paid' | 'cancelled';
interface BillSummary {
  id: string;
  number: string;
  status: Status;
  amountBaht: string;
  dueDate: string;
  working: { th: string; en: string; satang: number }[];
}
interface Use {
  use: 'agriculture' | 'residential' | 'other' | 'vacant';
  sharePercent: number;
  mainHome?: 'land-and-building' | 'building-only';
  vacantYears?: number;
}
interface Mine {
  year: number;
  parcels: {
    id: string;
    deedKind: 'chanote' | 'ns3k' | 'ns3' | 'other';
    deedNo: string;
    areaM2: number;
    zone: string | null;
    uses: Use[];
    buildings: {
      id: string;
      buildingNo: string | null;
      kind: string;
      floorAreaM2: number;
      ageYears: number;
    }[];
    bill: BillSummary | null;
  }[];
  signs: {
    id: string;
    widthCm: number;
    heightCm: number;
    type: number;
    moving: boolean;
    text: string | null;
    status: 'declared' | 'registered' | 'rejected';
    bill: BillSummary | null;
  }[];
}

/** `/tax/properties`: a citizen's own parcels (with buildings and uses) and signs, each with its tax for the year. */
export function MyPropertiesPage() {
  const { t } = useTranslation();
  const me = useMe();
  if (me.isPending) return <Spinner />;
  return (
    <section className="my-properties">
      <p>
        <Link to="/tax">{t('tax.properties.backToTax')}</Link>
      </p>
      <h1>{t('tax.properties.title')}</h1>
      {me.data?.kind === 'citizen' ? <Properties /> : <p>{t('tax.properties.citizensOnly')}</p>}
    </section>
  );
}

function Properties() {
  const { t, i18n } = useTranslation();
  const mine = useQuery({
    queryKey: ['tax', 'my-properties'],
    queryFn: () => api<Mine>('GET', '/api/tax/my/properties'),
  });
  if (mine.isPending) return <Spinner />;
  if (mine.isError) return <ErrorState error={mine.error} />;
  const { year, parcels, signs } = mine.data;
  const number = (n: number) => n.toLocaleString(i18n.language === 'th' ? 'th-TH' : 'en-GB');
  return (
    <>
      <p>{t('tax.properties.intro', { year })}</p>
      <h2>{t('tax.properties.parcels', { count: parcels.length })}</h2>
      {parcels.length === 0 ? (
        <EmptyState>{t('tax.properties.noParcels')}</EmptyState>
      ) : (
        <ul className="bills">
          {parcels.map((p) => {
            const title = t('tax.properties.parcel', {
              kind: t(`tax.register.deedKinds.${p.deedKind}`),
              no: p.deedNo,
            });
            // 1 rai = 4 ngan = 400 square wa = 1,600 m².
            const wa = p.areaM2 / 4;
            return (
              <li key={p.id} className="card bill" data-testid="my-parcel" aria-labelledby={`parcel-${p.id}`}>
                <h3 id={`parcel-${p.id}`}>{title}</h3>
                <dl>
                  <dt>{t('tax.properties.area')}</dt>
                  <dd>
                    {t('tax.properties.areaValue', {
                      m2: number(p.areaM2),
                      rai: Math.floor(wa / 400),
                      ngan: Math.floor((wa % 400) / 100),
                      wa: number(Math.round((wa % 100) * 100) / 100),
                    })}
                  </dd>
                  {p.zone && (
                    <>
                      <dt>{t('tax.properties.zone')}</dt>
                      <dd>{p.zone}</dd>
                    </>
                  )}
                  <dt>{t('tax.properties.uses')}</dt>
                  <dd>
                    <ul>
                      {p.uses.map((u) => (
                        <li key={`${u.use}-${u.mainHome ?? ''}`}>
                          {t('tax.properties.use', {
                            use: t(`tax.register.uses.${u.use}`),
                            share: u.sharePercent,
                          })}
                          {u.mainHome && `, ${t(`tax.register.mainHome.${u.mainHome}`)}`}
                          {u.vacantYears !== undefined &&
                            `, ${t('tax.register.vacantFor', { count: u.vacantYears })}`}
                        </li>
                      ))}
                    </ul>
                  </dd>
                  <dt>{t('tax.properties.buildings')}</dt>
                  <dd>
                    {p.buildings.length === 0 ? (
                      t('tax.properties.noBuildings')
                    ) : (
                      <ul>
                        {p.buildings.map((b) => (
                          <li key={b.id}>
                            {t('tax.properties.building', {
                              no: b.buildingNo ? `${b.buildingNo} ` : '',
                              kind: b.kind,
                              area: number(b.floorAreaM2),
                              age: b.ageYears,
                            })}
                          </li>
                        ))}
                      </ul>
                    )}
                  </dd>
                </dl>
                <Tax bill={p.bill} year={year} />
              </li>
            );
          })}
        </ul>
      )}
      <h2>{t('tax.properties.signs', { count: signs.length })}</h2>
      {signs.length === 0 ? (
        <EmptyState>{t('tax.properties.noSigns')}</EmptyState>
      ) : (
        <ul className="bills">
          {signs.map((s) => (
            <li key={s.id} className="card bill" data-testid="my-sign" aria-labelledby={`sign-${s.id}`}>
              <h3 id={`sign-${s.id}`}>
                {s.text ? t('tax.properties.sign', { text: s.text }) : t('tax.properties.signNoText')}
              </h3>
              <dl>
                <dt>{t('tax.properties.size')}</dt>
                <dd>
                  {t('tax.declarations.size', { width: number(s.widthCm), height: number(s.heightCm) })}
                </dd>
                <dt>{t('tax.properties.type')}</dt>
                <dd>
                  {t('tax.properties.typeValue', {
                    type: s.type,
                    moving: t(s.moving ? 'tax.properties.moving' : 'tax.properties.static'),
                  })}
                </dd>
                <dt>{t('tax.properties.registration')}</dt>
                <dd>{t(`tax.declarations.status.${s.status}`)}</dd>
              </dl>
              <Tax bill={s.bill} year={year} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The subject's tax for the year: its bill (amount, status, working) or that it has none yet. */
function Tax({ bill, year }: { bill: BillSummary | null; year: number }) {
  const { t, i18n } = useTranslation();
  if (!bill)
    return (
      <p>
        <Badge tone="neutral">{t('tax.properties.noBill', { year })}</Badge>
      </p>
    );
  const money = (satang: number) =>
    (satang / 100).toLocaleString(i18n.language === 'th' ? 'th-TH' : 'en-GB', { minimumFractionDigits: 2 });
  return (
    <div>
      <h4>{t('tax.properties.tax', { year })}</h4>
      <p>
        <Badge tone={bill.status === 'open' ? 'warn' : 'info'}>{t(`tax.status.${bill.status}`)}</Badge>{' '}
        {t('tax.properties.billLine', { amount: bill.amountBaht, number: bill.number })}
      </p>
      <details>
        <summary>{t('tax.working')}</summary>
        <ol className="working">
          {bill.working.map((line) => (
            <li key={`${line.en}:${line.satang}`}>
              {i18n.language === 'en' ? line.en : line.th} — {money(line.satang)} {t('tax.baht')}
            </li>
          ))}
        </ol>
      </details>
    </div>
  );
}
