import type { Locale } from '../../core/i18n.ts';

/** The words of the notices, in the reporter's (or manager's) language. */
export const statusWords: Record<string, Record<Locale, string>> = {
  received: { th: 'รับเรื่องแล้ว', en: 'received' },
  accepted: { th: 'รับดำเนินการ', en: 'accepted' },
  in_progress: { th: 'กำลังดำเนินการ', en: 'in progress' },
  forwarded: { th: 'ส่งต่อหน่วยงานอื่น', en: 'forwarded' },
  on_hold: { th: 'พักไว้ชั่วคราว', en: 'on hold' },
  resolved: { th: 'แก้ไขแล้ว', en: 'resolved' },
  rejected: { th: 'ไม่รับเรื่อง', en: 'rejected' },
  closed: { th: 'ปิดเรื่องแล้ว', en: 'closed' },
};

const words = {
  brand: { th: 'ยูพี (อยู่พี่)', en: 'You Pee' },
  nowStatus: { th: 'สถานะใหม่', en: 'now' },
  newNote: { th: 'มีข้อความใหม่จากเจ้าหน้าที่', en: 'a new note from the city' },
  category: { th: 'ประเภท', en: 'Category' },
  status: { th: 'สถานะ', en: 'Status' },
  note: { th: 'ข้อความ', en: 'Note' },
  forwardedTo: { th: 'ส่งต่อถึง', en: 'Forwarded to' },
  follow: { th: 'ติดตามเรื่องได้ที่', en: 'Follow it at' },
  why: {
    th: 'คุณได้รับอีเมลนี้เพราะคุณแจ้งเรื่องนี้ไว้ ไม่ต้องตอบกลับ',
    en: 'You get this email because you reported this. Please do not reply.',
  },
  overdue: { th: 'เกินกำหนดเวลา', en: 'overdue' },
  due: { th: 'กำหนดเสร็จ', en: 'Due' },
  office: { th: 'หน่วยงาน', en: 'Office' },
  zone: { th: 'เขต', en: 'Zone' },
  queue: { th: 'เปิดในคิวงาน', en: 'Open it in the queue' },
  managerWhy: {
    th: 'คุณได้รับอีเมลนี้ในฐานะผู้บริหารหน่วยงานที่รับผิดชอบเรื่องนี้',
    en: 'You get this email as a manager of the office that owns this complaint.',
  },
} satisfies Record<string, Record<Locale, string>>;

export interface ReporterNotice {
  lang: Locale;
  reference: string;
  category: Record<Locale, string>;
  kind: string;
  toStatus: string | null;
  status: string;
  note: string | null;
  forwardedTo: string | null;
  link: string;
}

const bangkok = (iso: string, lang: Locale) =>
  new Date(iso).toLocaleString(lang === 'th' ? 'th-TH' : 'en-GB', {
    timeZone: 'Asia/Bangkok',
    dateStyle: 'medium',
    timeStyle: 'short',
  });

/** Subject and text of a notice to a reporter; it names nobody but the city. */
export function reporterMail(n: ReporterNotice): { subject: string; text: string } {
  const l = n.lang;
  const status = statusWords[n.status]?.[l] ?? n.status;
  const what =
    n.kind === 'note'
      ? words.newNote[l]
      : `${words.nowStatus[l]}: ${statusWords[n.toStatus ?? n.status]?.[l] ?? status}`;
  const lines = [
    `${words.brand[l]} · ${n.reference}`,
    '',
    `${words.category[l]}: ${n.category[l]}`,
    `${words.status[l]}: ${status}`,
  ];
  if (n.forwardedTo) lines.push(`${words.forwardedTo[l]}: ${n.forwardedTo}`);
  if (n.note) lines.push('', `${words.note[l]}:`, n.note);
  lines.push('', `${words.follow[l]} ${n.link}`, '', words.why[l]);
  return { subject: `[${words.brand[l]}] ${n.reference}: ${what}`, text: lines.join('\n') };
}

export interface ManagerNotice {
  lang: Locale;
  reference: string;
  category: Record<Locale, string>;
  office: Record<Locale, string>;
  zone: string;
  status: string;
  dueAt: string;
  link: string;
}

/** The escalation email to an office manager: no reporter, no contact, no description. */
export function managerMail(n: ManagerNotice): { subject: string; text: string } {
  const l = n.lang;
  return {
    subject: `[${words.brand[l]} · ${words.overdue[l]}] ${n.reference}: ${n.category[l]}`,
    text: [
      `${n.reference} · ${words.overdue[l]}`,
      '',
      `${words.category[l]}: ${n.category[l]}`,
      `${words.office[l]}: ${n.office[l]}`,
      `${words.zone[l]}: ${n.zone}`,
      `${words.status[l]}: ${statusWords[n.status]?.[l] ?? n.status}`,
      `${words.due[l]}: ${bangkok(n.dueAt, l)}`,
      '',
      `${words.queue[l]}: ${n.link}`,
      '',
      words.managerWhy[l],
    ].join('\n'),
  };
}

export interface PushNotice {
  lang: Locale;
  reference: string;
  kind: string;
  toStatus: string | null;
  status: string;
  /** The status page, as a path: the service worker opens it on its own origin. */
  link: string;
}

/**
 * The web push message the service worker shows: short enough for a lock screen, and only what the
 * public status page shows anyway (a note's text waits on the page, it may not be moderated yet).
 */
export function pushText(n: PushNotice): {
  title: string;
  body: string;
  url: string;
  tag: string;
  lang: Locale;
} {
  const l = n.lang;
  const body =
    n.kind === 'note'
      ? words.newNote[l]
      : `${words.nowStatus[l]}: ${statusWords[n.toStatus ?? n.status]?.[l] ?? n.status}`;
  const sentence = body.charAt(0).toUpperCase() + body.slice(1);
  return {
    title: `${words.brand[l]} · ${n.reference}`,
    body: sentence,
    url: n.link,
    tag: n.reference,
    lang: l,
  };
}
