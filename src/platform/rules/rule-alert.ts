import type { Executor } from '../../core/db/index.ts';
import type { Polygon } from '../alerts/model.ts';
import type { AlertService, RuleAlert } from '../alerts/service.ts';
import type { Rule } from './model.ts';
import type { DeviceFacts, RuleRepository } from './repository.ts';

/** A closed octagon of about `metres` radius around a point, as a GeoJSON polygon. */
export function around(lon: number, lat: number, metres: number): Polygon {
  const dLat = metres / 111_320;
  const dLon = dLat / Math.max(Math.cos((lat * Math.PI) / 180), 0.01);
  const ring: [number, number][] = [];
  for (let i = 0; i < 8; i++) {
    const a = (i * Math.PI) / 4;
    ring.push([+(lon + dLon * Math.cos(a)).toFixed(6), +(lat + dLat * Math.sin(a)).toFixed(6)]);
  }
  ring.push(ring[0]);
  return { type: 'Polygon', coordinates: [ring] };
}

const clip = (s: string) => (s.length > 200 ? `${s.slice(0, 199)}…` : s);

/** The alert a rule raises for a device (`value` null for no data), public when the rule is. */
export async function ruleAlert(
  tx: Executor,
  rule: Rule,
  device: DeviceFacts,
  value: number | null,
  repo: RuleRepository,
  alerts: AlertService,
): Promise<RuleAlert> {
  const shown = value === null ? '' : ` = ${value}`;
  const where = rule.public ? await publicArea(tx, device, repo, alerts) : null;
  return {
    ruleId: rule.id,
    subject: device.id,
    officeId: rule.officeId,
    category: rule.category,
    urgency: rule.urgency,
    severity: rule.severity,
    certainty: rule.certainty,
    event: rule.name,
    headline: {
      th: clip(`${rule.name.th} · ${device.name}`),
      en: clip(`${rule.name.en} · ${device.name}`),
    },
    description: {
      th: clip(`${rule.quantity}${shown} (${device.name})`),
      en: clip(`${rule.quantity}${shown} (${device.name})`),
    },
    ...(where && {
      public: true,
      instruction: rule.instruction,
      areaDesc: where.areaDesc,
      area: where.area,
      zoneId: where.zoneId,
    }),
  };
}

/**
 * Where a public rule alert applies: the device's zone when it has one, else about a kilometre
 * around it (CAP needs an area, and the device's own point says too little to residents).
 */
async function publicArea(tx: Executor, device: DeviceFacts, repo: RuleRepository, alerts: AlertService) {
  const place = await repo.place(device.id, tx);
  if (!place) return null;
  const zoneId = place.zoneCode ? await alerts.repo.zoneId(place.zoneCode, tx) : null;
  const near = { th: `บริเวณ ${device.name}`, en: `Around ${device.name}` };
  if (zoneId) return { zoneId, area: null, areaDesc: near };
  return { zoneId: null, area: around(place.lon, place.lat, 1000), areaDesc: near };
}
