/** The rules of a complaint that need no database: its states, their order, its reference. */

import { type Locale, type Message, msg } from '../../core/i18n.ts';
import { statusWords } from './notify-text.ts';

export const statuses = [
  'received',
  'accepted',
  'in_progress',
  'forwarded',
  'on_hold',
  'resolved',
  'rejected',
  'closed',
] as const;
export type Status = (typeof statuses)[number];

export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];

/**
 * received → accepted → in_progress → (forwarded | on_hold) → resolved | rejected → closed.
 * A request can be rejected at any point before it is resolved; forwarded and on-hold work comes back
 * to in_progress or ends. Reopening after closure is a later slice.
 */
const transitions: Record<Status, readonly Status[]> = {
  received: ['accepted', 'rejected'],
  accepted: ['in_progress', 'forwarded', 'rejected'],
  in_progress: ['forwarded', 'on_hold', 'resolved', 'rejected'],
  forwarded: ['in_progress', 'resolved', 'rejected'],
  on_hold: ['in_progress', 'resolved', 'rejected'],
  resolved: ['closed'],
  rejected: ['closed'],
  closed: [],
};

export function canTransition(from: Status, to: Status): boolean {
  return transitions[from].includes(to);
}

export function nextStatuses(from: Status): readonly Status[] {
  return transitions[from];
}

/** Why a request in `from` cannot move to `to`, and where it can move instead. */
export function transitionDetail(from: Status, to: Status): Message {
  const allowed = transitions[from];
  const words = { from: statusWord(from), to: statusWord(to) };
  return allowed.length
    ? msg('complaints.cannot_move', {
        ...words,
        allowed: {
          th: allowed.map((s) => statusWord(s).th).join(', '),
          en: allowed.map((s) => statusWord(s).en).join(', '),
        },
      })
    : msg('complaints.cannot_move_any', words);
}

/** A status as its reader says it, with its code beside it in English (integrators match on codes). */
export function statusWord(status: Status): Record<Locale, string> {
  const word = statusWords[status];
  return word ? { th: `"${word.th}"`, en: status } : { th: status, en: status };
}

/** Moving to these states needs a reason the citizen can read (why rejected, to whom forwarded). */
export const needsPublicNote: readonly Status[] = ['rejected', 'forwarded'];

/** States in which a request still counts as open (for duplicates, +1 and Open311's `open`). */
export const openStatuses: readonly Status[] = [
  'received',
  'accepted',
  'in_progress',
  'forwarded',
  'on_hold',
];

export function isOpen(status: Status): boolean {
  return openStatuses.includes(status);
}

/** The Buddhist-Era year of an instant in Thailand (UTC+7, no daylight saving). */
export function buddhistYear(at: Date): number {
  return new Date(at.getTime() + 7 * 3600_000).getUTCFullYear() + 543;
}

/** `KK-2569-000123`: the city's prefix, the B.E. year and the sequence number, zero-padded to six digits. */
export function formatReference(year: number, n: number): string {
  if (!Number.isInteger(year) || year < 2500 || year > 9999) throw new RangeError(`bad B.E. year ${year}`);
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`bad sequence number ${n}`);
  return `KK-${year}-${String(n).padStart(6, '0')}`;
}

const referencePattern = /^KK-(\d{4})-(\d{6,})$/;

export function parseReference(text: string): { year: number; n: number } | null {
  const m = referencePattern.exec(text);
  if (!m) return null;
  const n = Number(m[2]);
  if (n < 1 || !Number.isSafeInteger(n)) return null;
  return { year: Number(m[1]), n };
}
