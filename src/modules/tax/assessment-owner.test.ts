import { describe, expect, it } from 'vitest';
import { assessProperty, newAllowance, type Property, type UsePart } from './assessment.ts';
import { landBuildingRates2569 as rates } from './rates.ts';

const M = 1_000_000;
type Kind = Property['ownerKind'];
/** One owner's parcels of `valueBaht` each (all land), assessed in order with one allowance: taxes in baht. */
function owner(kind: Kind, parcels: [number, UsePart][]) {
  const allowance = newAllowance(rates);
  return parcels.map(([valueBaht, use], i) =>
    assessProperty(
      {
        ownerKind: kind,
        deed: `chanote ${i + 1}`,
        landAreaM2: 1000,
        landValuePerM2Baht: valueBaht / 1000,
        buildings: [],
        uses: [use],
      },
      rates,
      allowance,
    ),
  );
}
const farm: UsePart = { use: 'agriculture', sharePercent: 100 };
const home: UsePart = { use: 'residential', sharePercent: 100, mainHome: 'land-and-building' };
const houseOnly: UsePart = { use: 'residential', sharePercent: 100, mainHome: 'building-only' };
const otherHome: UsePart = { use: 'residential', sharePercent: 100 };
const shop: UsePart = { use: 'other', sharePercent: 100 };

describe('exemptions once per owner (s.40, s.41)', () => {
  it.each<[string, Kind, [number, UsePart][], number[]]>([
    [
      'farmland of exactly 50 million over two parcels is all exempt',
      'person',
      [
        [30 * M, farm],
        [20 * M, farm],
      ],
      [0, 0],
    ],
    [
      '60 million of farmland over two parcels: the second pays on 10 million',
      'person',
      [
        [30 * M, farm],
        [30 * M, farm],
      ],
      [0, 1_000],
    ],
    ['a parcel over 50 million alone: bands shifted by the exemption', 'person', [[60 * M, farm]], [1_000]],
    [
      'the exemption is used up by the first parcel',
      'person',
      [
        [50 * M, farm],
        [10 * M, farm],
      ],
      [0, 1_000],
    ],
    [
      'farmland of a juristic person is taxed from the first baht',
      'juristic',
      [
        [30 * M, farm],
        [20 * M, farm],
      ],
      [3_000, 2_000],
    ],
    [
      'a shop between two farm parcels does not use the exemption',
      'person',
      [
        [20 * M, farm],
        [10 * M, shop],
        [40 * M, farm],
      ],
      [0, 30_000, 1_000],
    ],
    [
      'a second main home is taxed as another home',
      'person',
      [
        [10 * M, home],
        [10 * M, home],
      ],
      [0, 2_000],
    ],
    [
      'a main home above 50 million, then another',
      'person',
      [
        [60 * M, home],
        [10 * M, home],
      ],
      [3_000, 2_000],
    ],
    ['a main home owned without its land: first 10 million exempt', 'person', [[15 * M, houseOnly]], [1_000]],
    [
      'one main home, whichever kind: a house-only one after a land-and-building one',
      'person',
      [
        [10 * M, home],
        [5 * M, houseOnly],
      ],
      [0, 1_000],
    ],
    [
      'a house-only main home first takes the one exemption',
      'person',
      [
        [5 * M, houseOnly],
        [10 * M, home],
      ],
      [0, 2_000],
    ],
    [
      'another home does not use the main-home exemption',
      'person',
      [
        [10 * M, otherHome],
        [10 * M, home],
      ],
      [2_000, 0],
    ],
    [
      'a juristic person has no main home',
      'juristic',
      [
        [10 * M, home],
        [10 * M, home],
      ],
      [2_000, 2_000],
    ],
  ])('%s', (_name, kind, parcels, taxes) => {
    expect(owner(kind, parcels).map((a) => a.taxSatang / 100)).toEqual(taxes);
  });

  it('shows in each bill how much of the 50 million it took and how much is left (50,000,001 over two parcels)', () => {
    const [first, second] = owner('person', [
      [25 * M, farm],
      [25 * M + 1, farm],
    ]);
    const exemption = (a: ReturnType<typeof assessProperty>) =>
      a.lines.find((l) => l.text.en.includes('s.40'))!;
    expect(exemption(first).satang).toBe(25 * M * 100);
    expect(exemption(first).text.en).toContain(
      '25,000,000.00 baht taken by deed chanote 1, 25,000,000.00 baht left',
    );
    expect(exemption(first).text.th).toContain('มาตรา 40');
    expect(exemption(second).satang).toBe(25 * M * 100);
    expect(exemption(second).text.en).toContain('taken by deed chanote 2, 0.00 baht left');
    // The one baht over the exemption is in the first band: 0.01 % of 1 baht rounds to 0 satang.
    const band = second.lines.find((l) => l.text.en.startsWith('Agriculture 100%: value'))!;
    expect(band.text.en).toContain('(1.00 baht) × 0.01%');
    expect(second.taxSatang).toBe(0);
  });

  it('says in the second main home’s working which deed has the exemption', () => {
    const [first, second] = owner('person', [
      [10 * M, home],
      [10 * M, houseOnly],
    ]);
    expect(first.lines.some((l) => l.text.en.startsWith('Main home (s.41, land and house owned)'))).toBe(
      true,
    );
    const refused = second.lines.find((l) => l.text.en.includes('once per owner (s.41)'))!;
    expect(refused.text.en).toContain('deed chanote 1 has it');
    expect(refused.text.th).toContain('เอกสารสิทธิ์ chanote 1');
  });

  it('gives a parcel assessed alone the whole exemption, as before', () => {
    const alone = (v: number) =>
      assessProperty(
        { ownerKind: 'person', landAreaM2: 1, landValuePerM2Baht: v, buildings: [], uses: [farm] },
        rates,
      ).taxSatang;
    expect(alone(50 * M)).toBe(0);
    expect(alone(50 * M + 100_000)).toBe(1_000); // 100,000 baht × 0.01 % = 10 baht
  });
});
