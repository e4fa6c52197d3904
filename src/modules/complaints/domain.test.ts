import { describe, expect, it } from 'vitest';
import { translate } from '../../core/i18n.ts';
import {
  buddhistYear,
  canTransition,
  formatReference,
  isOpen,
  nextStatuses,
  parseReference,
  statuses,
  transitionDetail,
} from './domain.ts';

describe('the state machine', () => {
  it('follows received → accepted → in_progress → resolved → closed', () => {
    expect(canTransition('received', 'accepted')).toBe(true);
    expect(canTransition('accepted', 'in_progress')).toBe(true);
    expect(canTransition('in_progress', 'resolved')).toBe(true);
    expect(canTransition('resolved', 'closed')).toBe(true);
  });

  it('lets in-progress work be forwarded or put on hold and come back', () => {
    expect(canTransition('in_progress', 'forwarded')).toBe(true);
    expect(canTransition('in_progress', 'on_hold')).toBe(true);
    expect(canTransition('on_hold', 'in_progress')).toBe(true);
    expect(canTransition('forwarded', 'resolved')).toBe(true);
  });

  it('refuses skipping, going back and leaving closed', () => {
    expect(canTransition('received', 'resolved')).toBe(false);
    expect(canTransition('received', 'in_progress')).toBe(false);
    expect(canTransition('accepted', 'received')).toBe(false);
    expect(canTransition('resolved', 'in_progress')).toBe(false);
    expect(canTransition('rejected', 'accepted')).toBe(false);
    for (const s of statuses) expect(canTransition('closed', s)).toBe(false);
    for (const s of statuses) expect(canTransition(s, s)).toBe(false);
    expect(canTransition('received', 'closed')).toBe(false);
  });

  it('can reject anything not yet resolved, and everything ends in closed', () => {
    for (const s of ['received', 'accepted', 'in_progress', 'forwarded', 'on_hold'] as const)
      expect(nextStatuses(s)).toContain('rejected');
    expect(nextStatuses('resolved')).toEqual(['closed']);
    expect(nextStatuses('rejected')).toEqual(['closed']);
  });

  it('counts only unfinished states as open', () => {
    expect(statuses.filter(isOpen)).toEqual(['received', 'accepted', 'in_progress', 'forwarded', 'on_hold']);
  });
});

describe('why a move is refused', () => {
  it('names the states in Thai words for a Thai reader and by their codes in English', () => {
    const detail = transitionDetail('received', 'resolved');
    expect(translate(detail, 'th')).toBe(
      'เรื่องที่อยู่ในสถานะ "รับเรื่องแล้ว" เปลี่ยนเป็น "แก้ไขแล้ว" ไม่ได้ (เปลี่ยนได้เป็น: "รับดำเนินการ", "ไม่รับเรื่อง")',
    );
    expect(translate(detail, 'en')).toBe('cannot go from received to resolved; allowed: accepted, rejected');
    expect(translate(transitionDetail('closed', 'accepted'), 'th')).toBe(
      'เรื่องที่อยู่ในสถานะ "ปิดเรื่องแล้ว" เปลี่ยนเป็น "รับดำเนินการ" ไม่ได้ และเปลี่ยนสถานะต่อไม่ได้อีกแล้ว',
    );
  });
});

describe('the reference', () => {
  it('reads KK-<B.E. year>-<six digits>', () => {
    expect(formatReference(2569, 123)).toBe('KK-2569-000123');
    expect(formatReference(2569, 1_234_567)).toBe('KK-2569-1234567');
    expect(parseReference('KK-2569-000123')).toEqual({ year: 2569, n: 123 });
  });

  it('refuses what is not a reference', () => {
    expect(() => formatReference(2569, 0)).toThrow(RangeError);
    expect(() => formatReference(2026, 1)).toThrow(RangeError);
    expect(() => formatReference(2569, 1.5)).toThrow(RangeError);
    for (const bad of ['KK-2569-123', 'kk-2569-000123', 'KK-2569-000000', "KK-2569-000001' OR 1=1", ''])
      expect(parseReference(bad)).toBeNull();
  });

  it('takes the year in Thai time: 31 Dec 2026 18:00 UTC is already 2570', () => {
    expect(buddhistYear(new Date('2026-12-31T16:59:59Z'))).toBe(2569);
    expect(buddhistYear(new Date('2026-12-31T17:00:00Z'))).toBe(2570);
  });
});
