import type { Actor } from '../../core/audit/audit.ts';
import type { Db, Executor } from '../../core/db/index.ts';
import { type ManagedRule, type SyncResult, syncManagedRules } from '../../platform/rules/managed.ts';
import type { StationRow } from './repository.ts';

/** The hysteresis band below a level: 5 cm, or half the gap to the level below when that is smaller. */
export const hysteresisM = 0.05;

const round = (v: number) => Math.round(v * 1000) / 1000;
const clip = (s: string) => (s.length > 200 ? `${s.slice(0, 199)}…` : s);

/** What residents are told when a station's level is crossed (CAP `instruction`). */
const instructions = {
  warning: {
    th: 'ติดตามประกาศของเทศบาล ขนย้ายสิ่งของขึ้นที่สูง และเตรียมพร้อมอพยพไปยังศูนย์พักพิงที่ใกล้ที่สุด',
    en: 'Follow municipal announcements, move belongings to higher ground and be ready to go to the nearest shelter.',
  },
  critical: {
    th: 'อพยพไปยังศูนย์พักพิงที่ใกล้ที่สุดทันที หลีกเลี่ยงการเดินหรือขับรถผ่านน้ำท่วม',
    en: 'Go to the nearest shelter now. Do not walk or drive through flood water.',
  },
};

export const ruleKeyPrefix = (stationId: string) => `flood:${stationId}:`;

/**
 * The rules a station's levels imply: water above its warning level (severe) and above its critical
 * level (extreme), each clearing a little below the line so a level hovering on it does not flap.
 * Both are public CAP warnings (category Met, which CAP defines to include flood). Rain gauges get
 * none: their levels are 24-hour totals, not single readings a threshold rule could watch.
 */
export function stationRules(s: StationRow): ManagedRule[] {
  if (s.kind !== 'water_level') return [];
  const levels = [
    { key: 'warning' as const, value: s.warning, below: s.watch, severity: 'severe' as const },
    { key: 'critical' as const, value: s.critical, below: s.warning, severity: 'extreme' as const },
  ];
  return levels.map((l) => ({
    key: `${ruleKeyPrefix(s.id)}${l.key}`,
    input: {
      name:
        l.key === 'warning'
          ? { th: clip(`ระดับน้ำถึงขั้นเตือนภัย · ${s.nameTh}`), en: clip(`Flood warning level · ${s.nameEn}`) }
          : { th: clip(`ระดับน้ำถึงขั้นวิกฤต · ${s.nameTh}`), en: clip(`Flood critical level · ${s.nameEn}`) },
      enabled: true,
      scope: { kind: 'device', deviceId: s.deviceId },
      quantity: s.quantity,
      params: {
        kind: 'threshold',
        op: 'above',
        value: l.value,
        forMinutes: 0,
        clearAt: round(l.value - Math.min(hysteresisM, (l.value - l.below) / 2)),
      },
      category: 'met',
      urgency: l.key === 'critical' ? 'immediate' : 'expected',
      severity: l.severity,
      certainty: 'observed',
      public: true,
      instruction: instructions[l.key],
    },
  }));
}

/** Keeps a station's rules matching its levels, in the caller's transaction (see syncManagedRules). */
export function syncStationRules(
  db: Db,
  tx: Executor,
  station: StationRow,
  actor: Actor,
  resolveOpen?: (tx: Executor, ruleId: string) => Promise<void>,
): Promise<SyncResult> {
  return syncManagedRules(
    db,
    tx,
    ruleKeyPrefix(station.id),
    stationRules(station),
    station.officeId,
    actor,
    resolveOpen,
  );
}
