import { createHash, randomBytes } from 'node:crypto';
import { type Actor, audit, auditInsert } from '../../core/audit/audit.ts';
import type { Principal } from '../../core/auth/roles.ts';
import type { Db, Executor } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { msg } from '../../core/i18n.ts';
import { OrgRepository } from '../../core/org/repository.ts';
import { mueangContextUrl } from '../../platform/context/contexts/index.ts';
import { type ContextService, contextService } from '../../platform/context/service.ts';
import {
  buddhistYear,
  canTransition,
  formatReference,
  needsPublicNote,
  nextStatuses,
  type Priority,
  type Status,
  transitionDetail,
} from './domain.ts';
import { FilingRepository } from './filing-repository.ts';
import { HolidaysRepository } from './holidays.ts';
import { moderatedView, publicOnly } from './moderation.ts';
import { ComplaintPhotos } from './photos.ts';
import { ComplaintsRepository, type RequestRow } from './repository.ts';
import type { NewRequest, NoteInput, PublicRequest, QueueInput, TransitionInput } from './schemas.ts';
import { addWorkingHours, aftercareFor } from './sla.ts';

export const entityType = 'MueangServiceRequest';
export const entityId = (reference: string) => `urn:ngsi-ld:${entityType}:${reference}`;

/** Duplicates are looked for this far around a new report, this far back. */
export const duplicateRadiusMetres = 250;
export const duplicateMonths = 6;

const writerRoles = ['admin', 'office_manager', 'officer'];

export interface Reporter {
  userId: string | null;
  contact?: { name?: string; email?: string; phone?: string };
  source?: 'web' | 'open311';
  integratorId?: string | null;
  synthetic?: boolean;
  /** Seeds only: back-date a demo report. */
  createdAt?: string;
  /** The language the reporter filed in; their notices are written in it. */
  lang?: 'th' | 'en';
}

/** The rules of complaints; knows nothing of HTTP. */
export class ComplaintsService {
  readonly repo: ComplaintsRepository;
  private readonly filing: FilingRepository;
  private readonly org: OrgRepository;
  private readonly context: ContextService;
  readonly holidays: HolidaysRepository;
  readonly photos: ComplaintPhotos;

  /** `photosDir`: where photos are stored; without it, a request with photos is refused. */
  constructor(
    private readonly db: Db,
    photosDir?: string,
  ) {
    this.repo = new ComplaintsRepository(db);
    this.filing = new FilingRepository(db);
    this.holidays = new HolidaysRepository(db);
    this.photos = new ComplaintPhotos(db, photosDir);
    this.org = new OrgRepository(db);
    this.context = contextService(db);
  }

  categories() {
    return this.repo.categories();
  }

  offices() {
    return this.org.listOffices();
  }

  integratorByKeyHash(keyHash: string) {
    return this.repo.integratorByKeyHash(keyHash);
  }

  /** Issues an Open311 API key to an integrator; the key is returned once and only its hash is kept. */
  issueKey(name: string, actor: Actor, key = randomBytes(24).toString('base64url'), synthetic = false) {
    return this.db.transaction(async (tx) => {
      const integrator = await this.repo.insertIntegrator(tx, {
        name,
        keyHash: createHash('sha256').update(key).digest('hex'),
        synthetic,
      });
      await audit(tx, actor, {
        action: 'complaints.integrator.create',
        resourceType: 'complaints.integrator',
        resourceId: integrator.id,
        detail: { name },
      });
      return { ...integrator, apiKey: key };
    });
  }

  /**
   * Files a request: the category picks the office, the point picks the zone and community. Nothing is
   * stored unless all of it is: the photos, the request, its first event, the audit row and the
   * published entity.
   */
  async create(input: NewRequest, reporter: Reporter, actor: Actor): Promise<RequestRow> {
    const contact = reporter.contact ?? {};
    const contactMissing =
      !reporter.userId && reporter.source !== 'open311' && !contact.email && !contact.phone;
    // One statement for the time, the category, the place, the holidays and the reference number.
    const start = await this.filing.start(input.category, input.lon, input.lat, !contactMissing);
    const category = start.category;
    if (!category)
      throw AppError.badRequest('complaints.category_unknown', undefined, [
        { path: '/category', message: msg('complaints.no_such_category', { category: input.category }) },
      ]);
    if (contactMissing) throw AppError.badRequest('complaints.contact_required');
    const place = start.place;
    if (!place || start.n === null)
      throw AppError.badRequest(
        'complaints.outside_municipality',
        msg('complaints.point_outside', { lat: input.lat, lon: input.lon }),
      );
    const n = start.n;
    const created = reporter.createdAt ? new Date(reporter.createdAt) : new Date(start.now);
    const reference = formatReference(buddhistYear(created), n);
    return this.photos.withStored(input.photos, (photos) =>
      this.db.transaction(async (tx) => {
        // One statement for the row, its first event and the audit row; it returns the row as stored.
        const { eventId, ...row } = await this.filing.insert(
          tx,
          {
            reference,
            category: category.code,
            officeId: category.officeId,
            description: input.description,
            lat: input.lat,
            lon: input.lon,
            address: input.address ?? null,
            zoneId: place.zone.id,
            communityId: place.community?.id ?? null,
            reporterId: reporter.userId,
            contactName: contact.name ?? null,
            contactEmail: contact.email?.toLowerCase() ?? null,
            contactPhone: contact.phone ?? null,
            source: reporter.source ?? 'web',
            integratorId: reporter.integratorId ?? null,
            synthetic: reporter.synthetic ?? false,
            createdAt: reporter.createdAt ?? start.now,
            lang: reporter.lang,
            dueAt: addWorkingHours(created, category.slaHours, start.holidays).toISOString(),
          },
          {
            actorId: actor.id,
            // A back-dated (seeded) request's first event is dated when it was written, as before.
            at: reporter.createdAt ? null : start.now,
            audit: auditInsert(actor, {
              action: 'complaints.request.create',
              resourceType: 'complaints.request',
              resourceId: reference,
              detail: {
                category: category.code,
                source: reporter.source ?? 'web',
                anonymous: !reporter.userId,
                photos: photos.length,
              },
            }),
          },
        );
        await this.photos.insert(
          tx,
          { requestId: row.id, eventId, kind: 'report', uploadedBy: reporter.userId },
          photos,
        );
        // The entity is new (the reference was just drawn): written without loading it first.
        await this.publish(tx, row, true);
        return row;
      }),
    );
  }

  /** Publishes the request to the context broker: where, what, how far along — never who. */
  publish(tx: Executor, r: RequestRow, isNew = false) {
    const p = (value: unknown) => ({ type: 'Property', value });
    return this.context[isNew ? 'publishNew' : 'publish'](
      tx,
      {
        id: entityId(r.reference),
        type: entityType,
        reference: p(r.reference),
        category: p(r.category),
        status: p(r.status),
        priority: p(r.priority),
        office: p(r.office),
        zone: p(r.zone),
        ...(r.community ? { community: p(r.community) } : {}),
        supporters: p(r.supporters),
        dateCreated: p(r.createdAt),
        dateModified: p(r.updatedAt),
        location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [r.lon, r.lat] } },
      },
      { context: mueangContextUrl },
    );
  }

  /** Staff who answer for this request: admins, and the writing roles of the office it is with. */
  canWork(p: Principal | null, r: RequestRow): boolean {
    if (p?.kind !== 'staff' || !writerRoles.includes(p.role)) return false;
    return p.role === 'admin' || p.officeId === r.officeId;
  }

  /** Staff who may read everything about it: those who work it, and executives. */
  private canReadAll(p: Principal | null, r: RequestRow): boolean {
    return this.canWork(p, r) || p?.role === 'executive';
  }

  publicView(r: RequestRow): PublicRequest {
    return {
      reference: r.reference,
      category: r.category,
      office: r.office,
      description: r.description,
      lat: r.lat,
      lon: r.lon,
      address: r.address,
      zone: r.zone,
      community: r.community,
      status: r.status,
      priority: r.priority,
      supporters: r.supporters,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      closedAt: r.closedAt,
      dueAt: r.dueAt ?? null,
      escalatedAt: r.escalatedAt ?? null,
      resolvedAt: r.resolvedAt ?? null,
      rating: r.rating ?? null,
      mergedInto: r.mergedInto ?? null,
      forwardedTo: r.forwardedTo ?? null,
    };
  }

  async load(reference: string, on?: Executor, lock = false): Promise<RequestRow> {
    const r = await this.repo.byReference(reference, on, lock);
    if (!r) throw AppError.notFound('complaints.not_found');
    return r;
  }

  /**
   * One request for one caller. The reporter sees their contact and the public events; staff who work
   * it (and executives) see everything, internal notes included; anyone else the public view and the
   * public events. Reading someone's contact is audited, except the echo of a request just filed.
   */
  async get(reference: string, viewer: Principal | null, actor: Actor, justFiled = false) {
    const r = await this.load(reference);
    const own = viewer !== null && r.reporterId === viewer.userId;
    const staff = this.canReadAll(viewer, r);
    const events = await this.repo.events(r.id, staff);
    const view = { ...this.publicView(r), events };
    if (!own && !staff) return moderatedView(this.db, r.id, view);
    if (!justFiled)
      await audit(this.db.orm, actor, {
        action: 'complaints.request.read_personal',
        resourceType: 'complaints.request',
        resourceId: r.reference,
      });
    return {
      ...view,
      photos: await this.photos.list(r.id),
      contact: { name: r.contactName, email: r.contactEmail, phone: r.contactPhone, account: r.reporterId },
      ...(this.canWork(viewer, r) ? { nextStatuses: [...nextStatuses(r.status)] } : {}),
      ratingComment: r.ratingComment,
      ...(own ? aftercareFor(r) : {}),
    };
  }

  /**
   * The stored file of one photo, for those who may read the whole request: its reporter and the
   * staff who work it (and executives). Photos are not public: they may show people, plates, homes.
   * Anyone else is told it does not exist. Staff reads are audited.
   */
  async photoFile(reference: string, photoId: string, viewer: Principal, actor: Actor) {
    const r = await this.load(reference);
    const own = r.reporterId === viewer.userId;
    if (!own && !this.canReadAll(viewer, r)) throw AppError.notFound();
    const file = await this.photos.file(r.id, photoId);
    if (!file) throw AppError.notFound();
    if (!own)
      await audit(this.db.orm, actor, {
        action: 'complaints.photo.read',
        resourceType: 'complaints.request',
        resourceId: r.reference,
        detail: { photo: photoId },
      });
    return file;
  }

  async mine(userId: string, page: number, pageSize: number) {
    const { items, total } = await this.repo.list({
      reporterId: userId,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return { items: items.map((r) => this.publicView(r)), total, page, pageSize };
  }

  /** Open reports of the same category within 250 m in the last six months: candidates for "+1". */
  async nearby(category: string, lat: number, lon: number) {
    const since = new Date();
    since.setUTCMonth(since.getUTCMonth() - duplicateMonths);
    const rows = await this.repo.nearby(category, lon, lat, duplicateRadiusMetres, since.toISOString());
    return rows.map((r) => ({ ...publicOnly(this.publicView(r), r.publicText), distance: r.distance }));
  }

  /** "+1" an open request; supporting twice counts once. */
  async support(reference: string, userId: string, actor: Actor) {
    return this.db.transaction(async (tx) => {
      const r = await this.load(reference, tx, true);
      if (!['received', 'accepted', 'in_progress', 'forwarded', 'on_hold'].includes(r.status))
        throw AppError.conflict('complaints.not_open');
      const added = await this.repo.support(tx, r.id, userId);
      if (added) {
        await audit(tx, actor, {
          action: 'complaints.request.support',
          resourceType: 'complaints.request',
          resourceId: r.reference,
        });
        await this.repo.touch(tx, r.id);
        await this.publish(tx, (await this.repo.byReference(reference, tx))!);
      }
      return { reference: r.reference, supporters: r.supporters + (added ? 1 : 0), added };
    });
  }

  /** The queue of an office: office-bound staff see their own office, admins and executives any. */
  async queue(p: Principal, q: QueueInput) {
    let officeId: string | null = null;
    if (p.role === 'admin' || p.role === 'executive') {
      if (q.office) {
        const office = await this.org.officeByCode(q.office);
        if (!office) throw AppError.badRequest('org.office_not_found');
        officeId = office.id;
      }
    } else {
      if (!p.officeId || (q.office && q.office !== p.officeCode)) throw AppError.forbidden();
      officeId = p.officeId;
    }
    const { items, total } = await this.repo.list({
      officeId,
      status: q.status,
      categories: q.category ? [q.category] : undefined,
      priority: q.priority,
      overdue: q.overdue,
      escalated: q.escalated,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    const photos = await this.photos.byRequests(items.map((r) => r.id));
    return {
      items: items.map((r) => ({ ...this.publicView(r), photos: photos.get(r.id) ?? [] })),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  /** Runs a staff change on a locked request the caller answers for, then republishes it. */
  private change<T>(
    reference: string,
    p: Principal,
    fn: (tx: Executor, r: RequestRow) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction(async (tx) => {
      const r = await this.load(reference, tx, true);
      if (!this.canWork(p, r)) throw AppError.forbidden();
      const result = await fn(tx, r);
      await this.publish(tx, (await this.repo.byReference(reference, tx))!);
      return result;
    });
  }

  transition(reference: string, input: TransitionInput, p: Principal, actor: Actor) {
    return this.photos.withStored(input.photos, (photos) =>
      this.change(reference, p, async (tx, r) => {
        const to = input.to as Status;
        if (!canTransition(r.status, to))
          throw AppError.conflict('complaints.illegal_transition', transitionDetail(r.status, to));
        if (needsPublicNote.includes(to) && (!input.note || !input.public))
          throw AppError.badRequest(
            'complaints.reason_required',
            msg('complaints.status_needs_note', { status: to }),
          );
        await this.repo.setStatus(tx, r.id, to);
        await this.holidays.onStatus(tx, r.id, r.status, to);
        const eventId = await this.repo.addEvent(tx, {
          requestId: r.id,
          kind: 'status',
          fromStatus: r.status,
          toStatus: to,
          note: input.note ?? null,
          public: input.note ? input.public : true,
          actorId: p.userId,
          actorLabel: p.displayName,
        });
        await this.photos.insert(
          tx,
          { requestId: r.id, eventId, kind: 'after', uploadedBy: p.userId },
          photos,
        );
        await audit(tx, actor, {
          action: 'complaints.request.transition',
          resourceType: 'complaints.request',
          resourceId: r.reference,
          detail: { from: r.status, to, photos: photos.length },
        });
        return { reference: r.reference, status: to };
      }),
    );
  }

  addNote(reference: string, input: NoteInput, p: Principal, actor: Actor) {
    return this.photos.withStored(input.photos, (photos) =>
      this.change(reference, p, async (tx, r) => {
        const eventId = await this.repo.addEvent(tx, {
          requestId: r.id,
          kind: 'note',
          note: input.note,
          public: input.public,
          actorId: p.userId,
          actorLabel: p.displayName,
        });
        await this.photos.insert(
          tx,
          { requestId: r.id, eventId, kind: 'after', uploadedBy: p.userId },
          photos,
        );
        await this.repo.touch(tx, r.id);
        await audit(tx, actor, {
          action: 'complaints.request.note',
          resourceType: 'complaints.request',
          resourceId: r.reference,
          detail: { public: input.public, photos: photos.length },
        });
        return { reference: r.reference };
      }),
    );
  }

  reassign(reference: string, officeCode: string, note: string | undefined, p: Principal, actor: Actor) {
    return this.change(reference, p, async (tx, r) => {
      const office = await this.org.officeByCode(officeCode, tx);
      if (!office) throw AppError.badRequest('org.office_not_found');
      if (office.id === r.officeId) return { reference: r.reference, office: office.code };
      await this.repo.setOffice(tx, r.id, office.id);
      await this.repo.addEvent(tx, {
        requestId: r.id,
        kind: 'reassigned',
        note: note ?? null,
        public: false,
        detail: { from: r.office, to: office.code },
        actorId: p.userId,
        actorLabel: p.displayName,
      });
      await audit(tx, actor, {
        action: 'complaints.request.reassign',
        resourceType: 'complaints.request',
        resourceId: r.reference,
        detail: { from: r.office, to: office.code },
      });
      return { reference: r.reference, office: office.code };
    });
  }

  setPriority(reference: string, priority: Priority, p: Principal, actor: Actor) {
    return this.change(reference, p, async (tx, r) => {
      await this.repo.setPriority(tx, r.id, priority);
      await this.repo.addEvent(tx, {
        requestId: r.id,
        kind: 'priority',
        public: false,
        detail: { from: r.priority, to: priority },
        actorId: p.userId,
        actorLabel: p.displayName,
      });
      await audit(tx, actor, {
        action: 'complaints.request.priority',
        resourceType: 'complaints.request',
        resourceId: r.reference,
        detail: { from: r.priority, to: priority },
      });
      return { reference: r.reference, priority };
    });
  }
}
