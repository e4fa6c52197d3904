/** What the complaints API answers (see src/modules/complaints/schemas.ts). */
export interface Category {
  code: string;
  nameTh: string;
  nameEn: string;
  icon: string;
  office: string;
  slaHours: number;
  synthetic: boolean;
}

export type Status =
  | 'received'
  | 'accepted'
  | 'in_progress'
  | 'forwarded'
  | 'on_hold'
  | 'resolved'
  | 'rejected'
  | 'closed';

export const statuses: Status[] = [
  'received',
  'accepted',
  'in_progress',
  'forwarded',
  'on_hold',
  'resolved',
  'rejected',
  'closed',
];

export interface PublicRequest {
  reference: string;
  category: string;
  office: string;
  description: string;
  lat: number;
  lon: number;
  address: string | null;
  zone: string;
  community: string | null;
  status: Status;
  priority: string;
  supporters: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  dueAt?: string | null;
  escalatedAt?: string | null;
  resolvedAt?: string | null;
  rating?: number | null;
  mergedInto?: string | null;
  forwardedTo?: string | null;
}

export interface RequestEvent {
  kind:
    | 'created'
    | 'status'
    | 'note'
    | 'reassigned'
    | 'priority'
    | 'escalated'
    | 'rated'
    | 'reopened'
    | 'merged'
    | 'forwarded';
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
  public: boolean;
  actor: string | null;
  at: string;
}

export interface PhotoRef {
  id: string;
  kind: 'report' | 'after';
  width: number;
  height: number;
  at: string;
}

/** Photos are served only to the reporter and the staff who may read the request. */
export const photoUrls = (reference: string, photos: PhotoRef[] | undefined) =>
  (photos ?? []).map((p) => ({ ...p, url: `/api/complaints/requests/${reference}/photos/${p.id}` }));

/** A row of a staff queue: the public view and its photos. */
export interface QueueItem extends PublicRequest {
  photos: PhotoRef[];
}

export interface RequestDetail extends PublicRequest {
  events: RequestEvent[];
  /** For the reporter and the responsible staff. */
  photos?: PhotoRef[];
  /** For the reporter and the responsible staff. */
  contact?: { name: string | null; email: string | null; phone: string | null; account: string | null };
  /** For staff who may work on it: where it may go next. */
  nextStatuses?: Status[];
  /** For the reporter of a resolved complaint. */
  canRate?: boolean;
  reopenUntil?: string | null;
  ratingComment?: string | null;
}

export const categoryName = (categories: Category[] | undefined, code: string, language: string) => {
  const c = categories?.find((x) => x.code === code);
  if (!c) return code;
  return language === 'th' ? c.nameTh : c.nameEn;
};
