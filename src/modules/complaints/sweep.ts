import type { FastifyBaseLogger } from 'fastify';
import { audit, systemActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/index.ts';
import type { Events } from '../../core/events/outbox.ts';
import { AftercareRepository } from './aftercare-repository.ts';
import type { ComplaintsService } from './service.ts';
import { reopenWindowDays } from './sla.ts';

/** Rows one tick handles; the rest wait for the next tick, so a backlog never makes one huge transaction. */
const batch = 200;

/**
 * The periodic sweep: escalates open requests past their due time (once each) to the office manager,
 * and closes requests left resolved for 14 days. Time comes from `clock`, so tests control it.
 */
export class ComplaintsSweeper {
  private readonly repo: AftercareRepository;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly db: Db,
    private readonly service: ComplaintsService,
    private readonly events: Events,
    private readonly log: FastifyBaseLogger,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.repo = new AftercareRepository(db);
  }

  /** One pass; returns what it did. */
  tick(): Promise<{ escalated: string[]; closed: string[] }> {
    const now = this.clock();
    const actor = { ...systemActor, label: 'complaints-sweep' };
    return this.db.transaction(async (tx) => {
      const escalated: string[] = [];
      for (const r of await this.repo.overdue(tx, now, batch)) {
        await this.repo.markEscalated(tx, r.id, now);
        await this.service.repo.addEvent(tx, {
          requestId: r.id,
          kind: 'escalated',
          public: false,
          detail: { dueAt: r.dueAt },
          actorId: null,
          actorLabel: 'system',
        });
        await audit(tx, actor, {
          action: 'complaints.request.escalate',
          resourceType: 'complaints.request',
          resourceId: r.reference,
          detail: { dueAt: r.dueAt },
        });
        await this.events.publish(tx, 'complaints.escalated', {
          reference: r.reference,
          officeId: r.officeId,
          dueAt: new Date(r.dueAt).toISOString(),
        });
        escalated.push(r.reference);
      }
      const closed: string[] = [];
      for (const r of await this.repo.lapsed(tx, now, reopenWindowDays, batch)) {
        await this.repo.close(tx, r.id, now);
        await this.service.repo.addEvent(tx, {
          requestId: r.id,
          kind: 'status',
          fromStatus: 'resolved',
          toStatus: 'closed',
          public: true,
          actorId: null,
          actorLabel: 'system',
        });
        await audit(tx, actor, {
          action: 'complaints.request.close',
          resourceType: 'complaints.request',
          resourceId: r.reference,
          detail: { reason: 'rating-window' },
        });
        await this.events.publish(tx, 'complaints.closed', {
          reference: r.reference,
          reason: 'rating-window',
        });
        await this.service.publish(tx, (await this.service.repo.byReference(r.reference, tx))!);
        closed.push(r.reference);
      }
      for (const reference of escalated)
        await this.service.publish(tx, (await this.service.repo.byReference(reference, tx))!);
      return { escalated, closed };
    });
  }

  start(everyMs = 60_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .catch((err) => this.log.error({ err }, 'complaints sweep failed'))
        .finally(() => {
          this.running = null;
        });
    }, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
