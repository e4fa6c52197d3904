/**
 * Thai government (civil-service) public holidays of 2026 (B.E. 2569), for the demo. Compiled from the
 * Cabinet's annual calendar of government holidays (ประกาศสำนักนายกรัฐมนตรี เรื่อง วันหยุดราชการประจำปี
 * พ.ศ. 2569), with the lunar Buddhist days of 2569 and the substitute days for holidays on a weekend.
 * Not checked against the Royal Gazette from this machine: staff should verify the list (and add any
 * special holiday the Cabinet declares during the year) through the holidays API before relying on it.
 * Labour Day (1 May) is left out: it is a holiday for employees under the Labour Protection Act, not for
 * government offices, which the municipality's working hours follow.
 */
export const holidaySource =
  'Cabinet calendar of government holidays B.E. 2569 (ประกาศสำนักนายกรัฐมนตรี เรื่อง วันหยุดราชการประจำปี พ.ศ. 2569); demo list, verify before use';

export const holidays2569 = [
  { day: '2026-01-01', nameTh: 'วันขึ้นปีใหม่', nameEn: "New Year's Day" },
  { day: '2026-03-03', nameTh: 'วันมาฆบูชา', nameEn: 'Makha Bucha Day' },
  { day: '2026-04-06', nameTh: 'วันจักรี', nameEn: 'Chakri Memorial Day' },
  { day: '2026-04-13', nameTh: 'วันสงกรานต์', nameEn: 'Songkran Festival' },
  { day: '2026-04-14', nameTh: 'วันสงกรานต์', nameEn: 'Songkran Festival' },
  { day: '2026-04-15', nameTh: 'วันสงกรานต์', nameEn: 'Songkran Festival' },
  { day: '2026-05-04', nameTh: 'วันฉัตรมงคล', nameEn: 'Coronation Day' },
  // Visakha Bucha falls on Sunday 31 May; the substitute day is Monday 1 June.
  { day: '2026-06-01', nameTh: 'ชดเชยวันวิสาขบูชา', nameEn: 'Substitute for Visakha Bucha Day' },
  {
    day: '2026-06-03',
    nameTh: 'วันเฉลิมพระชนมพรรษาสมเด็จพระราชินี',
    nameEn: "H.M. Queen Suthida's Birthday",
  },
  { day: '2026-07-28', nameTh: 'วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว', nameEn: "H.M. the King's Birthday" },
  { day: '2026-07-29', nameTh: 'วันอาสาฬหบูชา', nameEn: 'Asarnha Bucha Day' },
  { day: '2026-07-30', nameTh: 'วันเข้าพรรษา', nameEn: 'Buddhist Lent Day' },
  {
    day: '2026-08-12',
    nameTh: 'วันแม่แห่งชาติ',
    nameEn: "H.M. Queen Sirikit The Queen Mother's Birthday and Mother's Day",
  },
  { day: '2026-10-13', nameTh: 'วันนวมินทรมหาราช', nameEn: 'King Bhumibol Adulyadej Memorial Day' },
  { day: '2026-10-23', nameTh: 'วันปิยมหาราช', nameEn: 'Chulalongkorn Day' },
  // 5 December falls on a Saturday; the substitute day is Monday 7 December.
  { day: '2026-12-07', nameTh: 'ชดเชยวันพ่อแห่งชาติ', nameEn: "Substitute for National Day and Father's Day" },
  { day: '2026-12-10', nameTh: 'วันรัฐธรรมนูญ', nameEn: 'Constitution Day' },
  { day: '2026-12-31', nameTh: 'วันสิ้นปี', nameEn: "New Year's Eve" },
] as const;
