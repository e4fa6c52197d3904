import { type SQL, sql } from 'drizzle-orm';
import { type Actor, audit, auditFrom, systemActor } from '../../core/audit/audit.ts';
import { officeBoundRoles, type Role } from '../../core/auth/roles.ts';
import type { Db, Executor } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import type { Events } from '../../core/events/outbox.ts';
import { msg } from '../../core/i18n.ts';
import { type CapAlert, type CapInfo, capCategory, capDocument, capTime, type Ring } from './cap.ts';
import type { Alert, AlertStatus, NewAlertRow, NewWarning, Polygon, UpdateWarning } from './model.ts';
import { AlertRepository, type Also, type BriefAlert, type StoredAlert } from './repository.ts';

/** One event per change, so delivery (webhooks, SSE, email, NGSI-LD) can hang off the outbox. */
export interface AlertEvent {
  alertId: string;
  source: 'rule' | 'manual';
  ruleId: string | null;
  subject: string;
  officeId: string | null;
  severity: Alert['severity'];
  public: boolean;
  status: AlertStatus;
}

declare module '../../core/events/outbox.ts' {
  interface EventMap {
    'alert.raised': AlertEvent;
    'alert.updated': AlertEvent;
    'alert.acknowledged': AlertEvent;
    'alert.resolved': AlertEvent;
  }
}

/** What a rule (the rules engine, to come) hands over when its condition holds. */
export interface RuleAlert {
  ruleId: string;
  subject: string;
  officeId?: string | null;
  category: Alert['category'];
  urgency: Alert['urgency'];
  severity: Alert['severity'];
  certainty: Alert['certainty'];
  event: { th: string; en: string };
  headline: { th: string; en: string };
  description?: { th: string; en: string };
  /** A public CAP warning (then `zoneId` or `area` must say where). */
  public?: boolean;
  instruction?: { th: string; en: string };
  areaDesc?: { th: string; en: string };
  area?: Polygon | null;
  zoneId?: string | null;
}

const empty = { th: '', en: '' };

/** The row of an alert a rule raises: one shape for one alert and for a batch. */
function ruleRow(input: RuleAlert): NewAlertRow {
  return {
    source: 'rule',
    ruleId: input.ruleId,
    subject: input.subject,
    officeId: input.officeId ?? null,
    public: input.public ?? false,
    category: input.category,
    urgency: input.urgency,
    severity: input.severity,
    certainty: input.certainty,
    event: input.event,
    headline: input.headline,
    description: input.description ?? empty,
    instruction: input.instruction ?? empty,
    areaDesc: input.areaDesc ?? empty,
    area: input.area ?? null,
    zoneId: input.zoneId ?? null,
    raisedBy: null,
    expiresAt: null,
  };
}
const capCase = <T extends string>(v: string, values: readonly T[]) =>
  values.find((x) => x.toLowerCase() === v) as T;

export class AlertService {
  readonly repo: AlertRepository;

  constructor(
    private readonly db: Db,
    private readonly events: Events,
    /** CAP sender, e.g. `mueang@city.example`; no spaces, commas, '<' or '&'. */
    readonly sender: string,
    readonly senderName: { th: string; en: string },
  ) {
    this.repo = new AlertRepository(db);
  }

  private event(a: BriefAlert): AlertEvent {
    return {
      alertId: a.id,
      source: a.source,
      ruleId: a.ruleId,
      subject: a.subject,
      officeId: a.officeId,
      severity: a.severity,
      public: a.public,
      status: a.status,
    };
  }

  /** Staff raise a public warning (CAP msgType Alert). The office is the raiser's own. */
  async raiseWarning(input: NewWarning, actor: Actor): Promise<StoredAlert> {
    const ring = input.area.polygon?.coordinates[0];
    if (ring) {
      const [first, last] = [ring[0], ring[ring.length - 1]];
      if (first[0] !== last[0] || first[1] !== last[1])
        throw AppError.badRequest('alerts.polygon_not_closed', msg('alerts.ring_ends'));
    }
    if (!ring && !input.area.zoneCode)
      throw AppError.badRequest('alerts.area_required', msg('alerts.give_area'));
    if (input.expiresAt && Date.parse(input.expiresAt) <= Date.now())
      throw AppError.badRequest('request.invalid', msg('request.expires_past'), [
        { path: '/expiresAt', message: msg('field.in_past') },
      ]);
    return this.db.transaction(async (tx) => {
      const zoneId = input.area.zoneCode ? await this.repo.zoneId(input.area.zoneCode, tx) : null;
      if (input.area.zoneCode && !zoneId)
        throw AppError.badRequest('alerts.zone_not_found', input.area.zoneCode);
      const id = await this.repo.insert(tx, {
        source: 'manual',
        ruleId: null,
        subject: input.area.zoneCode ? `zone:${input.area.zoneCode}` : 'area',
        officeId: actor.officeId,
        public: true,
        category: input.category,
        urgency: input.urgency,
        severity: input.severity,
        certainty: input.certainty,
        event: input.event,
        headline: input.headline,
        description: input.description ?? empty,
        instruction: input.instruction ?? empty,
        areaDesc: input.area.description ?? empty,
        area: input.area.polygon ?? null,
        zoneId,
        raisedBy: actor.id,
        expiresAt: input.expiresAt ?? null,
      });
      const alert = (await this.repo.get(id!, tx))!;
      await audit(tx, actor, {
        action: 'alerts.warning.raise',
        resourceType: 'alert',
        resourceId: alert.id,
        detail: { severity: alert.severity, zone: input.area.zoneCode ?? null },
      });
      await this.events.publish(tx, 'alert.raised', this.event(alert));
      return alert;
    });
  }

  /**
   * A rule's condition holds for a subject: raise its alert unless one is open already for the same
   * rule and subject (then that one is returned with `created: false`, and no event is emitted).
   */
  async raiseFromRule(input: RuleAlert, on?: Executor): Promise<{ alert: StoredAlert; created: boolean }> {
    const run = async (tx: Executor) => {
      const id = await this.repo.insert(tx, ruleRow(input));
      if (!id)
        return { alert: (await this.repo.openForRule(input.ruleId, input.subject, tx))!, created: false };
      const alert = (await this.repo.get(id, tx))!;
      await audit(tx, systemActor, {
        action: 'alerts.rule.raise',
        resourceType: 'alert',
        resourceId: id,
        detail: { ruleId: input.ruleId, subject: input.subject },
      });
      await this.events.publish(tx, 'alert.raised', this.event(alert));
      return { alert, created: true };
    };
    return on ? run(on) : this.db.transaction(run);
  }

  /**
   * A rule's condition cleared for a subject: its open alert (raised or acknowledged) is resolved by
   * the system. Returns false when none was open (staff resolved it already).
   */
  async resolveFromRule(ruleId: string, subject: string, on: Executor): Promise<boolean> {
    const open = await this.repo.openForRule(ruleId, subject, on);
    if (!open) return false;
    const moved = await this.repo.transition(on, open.id, {
      from: ['raised', 'acknowledged'],
      to: 'resolved',
      by: null,
      note: 'auto-resolved: the rule condition cleared',
      // A public rule alert is withdrawn from the CAP feed with a Cancel, as staff resolutions are.
      capRef: open.public ? this.capRef(open) : undefined,
    });
    if (!moved) return false;
    const after = (await this.repo.get(open.id, on))!;
    await audit(on, systemActor, {
      action: 'alerts.rule.resolve',
      resourceType: 'alert',
      resourceId: open.id,
      detail: { ruleId, subject },
    });
    await this.events.publish(on, 'alert.resolved', this.event(after));
    return true;
  }

  /**
   * `raiseFromRule` for many (rule, subject) pairs at once, in a few statements whatever their number
   * (the rules engine's batches): the same rows, audit entries and events. Pairs with an open alert
   * already are skipped. Returns the alerts created.
   */
  async raiseManyFromRule(inputs: RuleAlert[], on: Executor): Promise<BriefAlert[]> {
    const created = await this.repo.insertMany(on, inputs.map(ruleRow), this.announce('raise'));
    if (created.length) this.events.kick();
    return created;
  }

  /**
   * Rule alerts whose condition held and cleared within one evaluation (one transaction): each written
   * once, already resolved, with the audit rows and events of a raise and a resolve
   * (`alert.raised` before `alert.resolved`), what `raiseManyFromRule` then `resolveManyFromRule` would
   * leave, in one statement. Where the rule and subject have an open alert it is resolved instead, as
   * those two would do (a public one with its CAP Cancel). Not for public rules' alerts: a public alert
   * carries a CAP message for its raise and one for its cancel. Returns how many were resolved.
   */
  async raiseResolvedManyFromRule(inputs: RuleAlert[], on: Executor): Promise<number> {
    const note = 'auto-resolved: the rule condition cleared';
    const rows = await this.repo.insertResolvedMany(on, inputs.map(ruleRow), note, (inserted, resolved) => {
      const both = sql`(SELECT * FROM ${inserted} UNION ALL SELECT * FROM ${resolved}) AS changed`;
      return [
        auditFrom(systemActor, inserted, this.auditOf('raise')),
        auditFrom(systemActor, both, this.auditOf('resolve')),
        this.events.publishFromEach([
          // raised: the event says so, as the row did before it was resolved in the same transaction
          { type: 'alert.raised', payload: this.payloadOf(sql`'raised'`), source: inserted },
          { type: 'alert.resolved', payload: this.payloadOf(sql`status`), source: inserted },
          { type: 'alert.resolved', payload: this.payloadOf(sql`status`), source: resolved },
        ]),
      ];
    });
    let moved = 0;
    for (const a of rows) {
      if (!a.public) moved++;
      else if (await this.resolveFromRule(a.ruleId!, a.subject, on)) moved++;
    }
    if (moved) this.events.kick();
    return moved;
  }

  /**
   * `resolveFromRule` for many (rule, subject) pairs at once. Public alerts go one by one (each needs
   * its CAP Cancel referencing its last message); the others in one statement. Returns how many moved.
   */
  async resolveManyFromRule(pairs: { ruleId: string; subject: string }[], on: Executor): Promise<number> {
    const rows = await this.repo.resolveManyForRules(
      on,
      pairs,
      'auto-resolved: the rule condition cleared',
      this.announce('resolve'),
    );
    let moved = 0;
    for (const a of rows) {
      if (!a.public) moved++;
      else if (await this.resolveFromRule(a.ruleId!, a.subject, on)) moved++;
    }
    if (moved) this.events.kick();
    return moved;
  }

  /**
   * The audit rows and events of a batch of rule alerts raised or resolved, written by the statement
   * that changes them (the rows need not come back to Node and go out again).
   */
  private announce(what: 'raise' | 'resolve'): Also {
    return (changed) => [
      auditFrom(systemActor, changed, this.auditOf(what)),
      this.events.publishFrom(
        what === 'raise' ? 'alert.raised' : 'alert.resolved',
        this.payloadOf(sql`status`),
        changed,
      ),
    ];
  }

  /** The audit row of a rule alert raised or resolved by the system, over a row in brief. */
  private auditOf(what: 'raise' | 'resolve') {
    return {
      action: `alerts.rule.${what}`,
      resourceType: 'alert',
      resourceId: sql`id::text`,
      detail: sql`jsonb_build_object('ruleId', "ruleId", 'subject', subject)`,
    };
  }

  /** An alert event's payload (the fields of `event()`) over a row in brief, with its `status`. */
  private payloadOf(status: SQL): SQL {
    return sql`jsonb_build_object('alertId', id, 'source', source, 'ruleId', "ruleId", 'subject', subject,
      'officeId', "officeId", 'severity', severity, 'public', public, 'status', ${status})`;
  }

  /** Office-bound staff see and act on their own office's alerts only. */
  private reachable(alert: StoredAlert | null, actor: Actor): StoredAlert {
    if (!alert) throw AppError.notFound('alerts.not_found');
    if (officeBoundRoles.includes(actor.role as Role) && alert.officeId !== actor.officeId)
      throw AppError.notFound('alerts.not_found');
    return alert;
  }

  list(q: { status?: AlertStatus; limit: number; offset: number }, actor: Actor) {
    const officeBound = officeBoundRoles.includes(actor.role as Role);
    // An office-bound account without an office sees nothing rather than everything.
    return this.repo.list({
      ...q,
      officeId: officeBound ? (actor.officeId ?? '00000000-0000-0000-0000-000000000000') : undefined,
    });
  }

  async get(id: string, actor: Actor): Promise<StoredAlert> {
    return this.reachable(await this.repo.get(id), actor);
  }

  /** Changes an open public warning: its next CAP message is an Update referencing the last one. */
  updateWarning(id: string, input: UpdateWarning, actor: Actor): Promise<StoredAlert> {
    if (input.expiresAt && Date.parse(input.expiresAt) <= Date.now())
      throw AppError.badRequest('request.invalid', msg('request.expires_past'), [
        { path: '/expiresAt', message: msg('field.in_past') },
      ]);
    return this.db.transaction(async (tx) => {
      const before = this.reachable(await this.repo.get(id, tx), actor);
      if (!before.public || before.status === 'resolved')
        throw AppError.conflict('alerts.not_updatable', msg('alerts.only_open_updatable'));
      const ok = await this.repo.updateWarning(tx, id, input, this.capRef(before));
      if (!ok) throw AppError.conflict('alerts.not_updatable', msg('alerts.only_open_updatable'));
      const after = (await this.repo.get(id, tx))!;
      await audit(tx, actor, {
        action: 'alerts.warning.update',
        resourceType: 'alert',
        resourceId: id,
        detail: { fields: Object.keys(input), capVersion: after.capVersion },
      });
      await this.events.publish(tx, 'alert.updated', this.event(after));
      return after;
    });
  }

  /** `sender,identifier,sent` of an alert's current CAP message, for the next one's references. */
  private capRef(a: StoredAlert): string {
    return `${this.sender},${this.identifier(a)},${capTime(new Date(a.capSent))}`;
  }

  acknowledge(id: string, actor: Actor): Promise<StoredAlert> {
    return this.move(id, actor, { from: ['raised'], to: 'acknowledged' }, 'alert.acknowledged');
  }

  resolve(id: string, note: string | undefined, actor: Actor): Promise<StoredAlert> {
    return this.move(id, actor, { from: ['raised', 'acknowledged'], to: 'resolved', note }, 'alert.resolved');
  }

  private move(
    id: string,
    actor: Actor,
    change: { from: AlertStatus[]; to: AlertStatus; note?: string },
    type: 'alert.acknowledged' | 'alert.resolved',
  ): Promise<StoredAlert> {
    return this.db.transaction(async (tx) => {
      const before = this.reachable(await this.repo.get(id, tx), actor);
      // Resolving a public warning publishes a CAP Cancel that references the message it replaces.
      const capRef = before.public && change.to === 'resolved' ? this.capRef(before) : undefined;
      const moved = await this.repo.transition(tx, id, { ...change, by: actor.id, capRef });
      if (!moved)
        throw AppError.conflict(
          'alerts.invalid_transition',
          msg('alerts.status_is', { status: before.status }),
        );
      const after = (await this.repo.get(id, tx))!;
      await audit(tx, actor, {
        action: change.to === 'acknowledged' ? 'alerts.acknowledge' : 'alerts.resolve',
        resourceType: 'alert',
        resourceId: id,
        detail: { from: before.status, to: after.status },
      });
      await this.events.publish(tx, type, this.event(after));
      return after;
    });
  }

  /** The CAP identifier of an alert's current message. */
  identifier(a: Pick<StoredAlert, 'id' | 'capVersion'>): string {
    return `mueang-${a.id}-${a.capVersion}`;
  }

  /** The current CAP message of a public alert: Alert, then Cancel once resolved. */
  capMessage(a: StoredAlert): CapAlert {
    const category = [capCase(a.category, capCategory)];
    const rings = polygonsOf(a.capGeometry);
    const info = (lang: 'th' | 'en'): CapInfo => ({
      language: lang === 'th' ? 'th-TH' : 'en',
      category,
      event: a.event[lang],
      urgency: capCase(a.urgency, ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const),
      severity: capCase(a.severity, ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const),
      certainty: capCase(a.certainty, ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const),
      expires: a.expiresAt ? new Date(a.expiresAt) : null,
      senderName: this.senderName[lang],
      headline: a.headline[lang],
      description: a.description[lang],
      instruction: a.instruction[lang],
      areas: [
        {
          areaDesc: a.areaDesc[lang] || a.zoneCode || (lang === 'th' ? 'พื้นที่ตามแผนที่' : 'Area as mapped'),
          polygons: rings,
        },
      ],
    });
    return {
      identifier: this.identifier(a),
      sender: this.sender,
      sent: new Date(a.capSent),
      status: 'Actual',
      msgType: a.capVersion === 1 ? 'Alert' : a.status === 'resolved' ? 'Cancel' : 'Update',
      scope: 'Public',
      references: a.capRefs,
      infos: [info('th'), info('en')],
    };
  }

  capXml(a: StoredAlert): string {
    return capDocument(this.capMessage(a));
  }
}

/** GeoJSON Polygon/MultiPolygon ([lon, lat]) → CAP rings ([lat, lon]), outer rings only. */
export function polygonsOf(geometry: unknown): Ring[] {
  const g = geometry as { type?: string; coordinates?: number[][][] | number[][][][] } | null;
  if (!g?.coordinates) return [];
  const polygons =
    g.type === 'MultiPolygon' ? (g.coordinates as number[][][][]) : [g.coordinates as number[][][]];
  return polygons.map((p) => p[0].map(([lon, lat]) => [lat, lon] as [number, number]));
}
