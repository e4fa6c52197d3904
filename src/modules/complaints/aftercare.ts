import type { Actor } from '../../core/audit/audit.ts';
import { audit } from '../../core/audit/audit.ts';
import type { Principal } from '../../core/auth/roles.ts';
import type { Db, Executor } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import type { Events } from '../../core/events/outbox.ts';
import { msg } from '../../core/i18n.ts';
import { AftercareRepository } from './aftercare-repository.ts';
import { canTransition, isOpen, statusWord, transitionDetail } from './domain.ts';
import type { RequestRow } from './repository.ts';
import type { Holiday, RatingInput } from './schemas.ts';
import type { ComplaintsService } from './service.ts';
import { reopenWindowDays } from './sla.ts';

declare module '../../core/events/outbox.ts' {
  interface EventMap {
    'complaints.escalated': { reference: string; officeId: string; dueAt: string };
    'complaints.reopened': { reference: string; officeId: string; reason: string };
    'complaints.closed': { reference: string; reason: 'rating-window' | 'merged' };
  }
}

const dayMs = 24 * 3600_000;

/**
 * What happens around and after the work: the reporter rates and may reopen, staff merge duplicates
 * and forward to outside agencies, staff keep the holiday list the SLA skips.
 */
export class ComplaintsAftercare {
  readonly repo: AftercareRepository;

  constructor(
    private readonly db: Db,
    private readonly service: ComplaintsService,
    private readonly events: Events | null,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.repo = new AftercareRepository(db);
  }

  /** Locks the request, checks that the caller reported it, and republishes it after `fn`. */
  private asReporter<T>(reference: string, p: Principal, fn: (tx: Executor, r: RequestRow) => Promise<T>) {
    return this.db.transaction(async (tx) => {
      const r = await this.service.load(reference, tx, true);
      if (!r.reporterId || r.reporterId !== p.userId) throw AppError.forbidden('complaints.not_reporter');
      const result = await fn(tx, r);
      await this.service.publish(tx, (await this.service.repo.byReference(reference, tx))!);
      return result;
    });
  }

  /** Locks the request, checks that the caller works it, and republishes it after `fn`. */
  private asStaff<T>(reference: string, p: Principal, fn: (tx: Executor, r: RequestRow) => Promise<T>) {
    return this.db.transaction(async (tx) => {
      const r = await this.service.load(reference, tx, true);
      if (!this.service.canWork(p, r)) throw AppError.forbidden();
      const result = await fn(tx, r);
      await this.service.publish(tx, (await this.service.repo.byReference(reference, tx))!);
      return result;
    });
  }

  rate(reference: string, input: RatingInput, p: Principal, actor: Actor) {
    return this.asReporter(reference, p, async (tx, r) => {
      if (!r.resolvedAt || (r.status !== 'resolved' && r.status !== 'closed') || r.mergedInto)
        throw AppError.conflict(
          'complaints.not_resolved',
          msg('complaints.cannot_rate', { status: statusWord(r.status) }),
        );
      if (!(await this.repo.rate(tx, r.id, input.rating, input.comment ?? null, this.clock())))
        throw AppError.conflict('complaints.already_rated');
      // The comment is the reporter's own words: kept for staff, not put on the public timeline.
      await this.service.repo.addEvent(tx, {
        requestId: r.id,
        kind: 'rated',
        public: true,
        detail: { rating: input.rating },
        actorId: p.userId,
        actorLabel: null,
      });
      await audit(tx, actor, {
        action: 'complaints.request.rate',
        resourceType: 'complaints.request',
        resourceId: r.reference,
        detail: { rating: input.rating, comment: input.comment !== undefined },
      });
      return { reference: r.reference, rating: input.rating };
    });
  }

  reopen(reference: string, reason: string, p: Principal, actor: Actor) {
    return this.asReporter(reference, p, async (tx, r) => {
      if (r.status !== 'resolved' || !r.resolvedAt)
        throw AppError.conflict(
          'complaints.not_resolved',
          msg('complaints.cannot_reopen', { status: statusWord(r.status) }),
        );
      const now = this.clock();
      if (now.getTime() - new Date(r.resolvedAt).getTime() > reopenWindowDays * dayMs)
        throw AppError.conflict('complaints.reopen_window_passed');
      await this.repo.reopen(tx, r.id);
      // The office gets a fresh SLA from the reopening, not the long-past original due time.
      await this.service.holidays.setDue(tx, r.id, now);
      await this.service.repo.addEvent(tx, {
        requestId: r.id,
        kind: 'reopened',
        fromStatus: 'resolved',
        toStatus: 'in_progress',
        note: reason,
        public: true,
        actorId: p.userId,
        actorLabel: null,
      });
      await audit(tx, actor, {
        action: 'complaints.request.reopen',
        resourceType: 'complaints.request',
        resourceId: r.reference,
      });
      await this.events?.publish(tx, 'complaints.reopened', {
        reference: r.reference,
        officeId: r.officeId,
        reason,
      });
      return { reference: r.reference, status: 'in_progress' as const };
    });
  }

  /** Closes `reference` as a duplicate of `into`; its supporters (and its reporter) now support `into`. */
  merge(reference: string, into: string, note: string | undefined, p: Principal, actor: Actor) {
    return this.asStaff(reference, p, async (tx, dup) => {
      if (into === reference) throw AppError.badRequest('complaints.merge_into_self');
      if (!isOpen(dup.status)) throw AppError.conflict('complaints.not_open');
      const kept = await this.service.load(into, tx, true);
      if (!isOpen(kept.status))
        throw AppError.conflict(
          'complaints.not_open',
          msg('complaints.target_not_open', { reference: into }),
        );
      const moved = await this.repo.moveSupporters(tx, dup.id, kept.id);
      await this.repo.markMerged(tx, dup.id, kept.id);
      await this.service.repo.addEvent(tx, {
        requestId: dup.id,
        kind: 'merged',
        fromStatus: dup.status,
        toStatus: 'closed',
        note: note ?? null,
        public: true,
        detail: { into: kept.reference },
        actorId: p.userId,
        actorLabel: p.displayName,
      });
      await this.service.repo.addEvent(tx, {
        requestId: kept.id,
        kind: 'merged',
        public: false,
        detail: { from: dup.reference, supporters: moved },
        actorId: p.userId,
        actorLabel: p.displayName,
      });
      await this.service.repo.touch(tx, kept.id);
      await audit(tx, actor, {
        action: 'complaints.request.merge',
        resourceType: 'complaints.request',
        resourceId: dup.reference,
        detail: { into: kept.reference, supporters: moved },
      });
      await this.events?.publish(tx, 'complaints.closed', { reference: dup.reference, reason: 'merged' });
      await this.service.publish(tx, (await this.service.repo.byReference(into, tx))!);
      return { reference: dup.reference, status: 'closed' as const, mergedInto: kept.reference, moved };
    });
  }

  forward(reference: string, agency: string, note: string, p: Principal, actor: Actor) {
    return this.asStaff(reference, p, async (tx, r) => {
      if (!canTransition(r.status, 'forwarded'))
        throw AppError.conflict('complaints.illegal_transition', transitionDetail(r.status, 'forwarded'));
      await this.repo.setForwarded(tx, r.id, agency);
      await this.service.holidays.onStatus(tx, r.id, r.status, 'forwarded', this.clock());
      await this.service.repo.addEvent(tx, {
        requestId: r.id,
        kind: 'forwarded',
        fromStatus: r.status,
        toStatus: 'forwarded',
        note,
        public: true,
        detail: { agency },
        actorId: p.userId,
        actorLabel: p.displayName,
      });
      await audit(tx, actor, {
        action: 'complaints.request.forward',
        resourceType: 'complaints.request',
        resourceId: r.reference,
        detail: { from: r.status, agency },
      });
      return { reference: r.reference, status: 'forwarded' as const, agency };
    });
  }

  holidays(year?: number) {
    return this.service.holidays.list(year);
  }

  addHoliday(h: Omit<Holiday, 'synthetic' | 'source'> & { source?: string }, actor: Actor) {
    return this.db.transaction(async (tx) => {
      if (!(await this.service.holidays.add(tx, { ...h, synthetic: false })))
        throw AppError.conflict('complaints.holiday_exists');
      await audit(tx, actor, {
        action: 'complaints.holiday.create',
        resourceType: 'complaints.holiday',
        resourceId: h.day,
        detail: { nameEn: h.nameEn },
      });
      return { ...h, source: h.source ?? null, synthetic: false };
    });
  }

  removeHoliday(day: string, actor: Actor) {
    return this.db.transaction(async (tx) => {
      if (!(await this.service.holidays.remove(tx, day)))
        throw AppError.notFound('complaints.holiday_not_found');
      await audit(tx, actor, {
        action: 'complaints.holiday.delete',
        resourceType: 'complaints.holiday',
        resourceId: day,
      });
    });
  }
}
