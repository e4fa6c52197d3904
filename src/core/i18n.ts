/** Server-side messages, Thai first. Keys are the stable error codes and a few notices. */
export type Locale = 'th' | 'en';

type Messages = Record<string, { th: string; en: string }>;

const messages: Messages = {
  'request.invalid': { th: 'ข้อมูลที่ส่งมาไม่ถูกต้อง', en: 'The request is not valid' },
  'request.too_large': { th: 'ข้อมูลที่ส่งมีขนาดใหญ่เกินกำหนด', en: 'The request body is too large' },
  'request.unsupported_media_type': { th: 'ไม่รองรับรูปแบบข้อมูลนี้', en: 'Unsupported content type' },
  'request.malformed': { th: 'ข้อมูลที่ส่งมาอ่านไม่ได้', en: 'The request body could not be parsed' },
  'request.rate_limited': { th: 'ส่งคำขอถี่เกินไป โปรดลองใหม่ภายหลัง', en: 'Too many requests, try again later' },
  'route.not_found': { th: 'ไม่พบสิ่งที่ต้องการ', en: 'Not found' },
  'resource.not_found': { th: 'ไม่พบข้อมูล', en: 'The resource was not found' },
  'resource.conflict': { th: 'ข้อมูลนี้มีอยู่แล้ว', en: 'This already exists' },
  'resource.reference_invalid': { th: 'อ้างอิงถึงข้อมูลที่ไม่มีอยู่', en: 'Refers to something that does not exist' },
  'auth.required': { th: 'กรุณาเข้าสู่ระบบ', en: 'Sign-in required' },
  'auth.forbidden': { th: 'คุณไม่มีสิทธิ์ทำรายการนี้', en: 'You are not allowed to do this' },
  'auth.invalid_credentials': { th: 'อีเมลหรือรหัสผ่านไม่ถูกต้อง', en: 'Wrong email or password' },
  'auth.invalid_token': { th: 'โทเคนไม่ถูกต้องหรือหมดอายุ', en: 'The token is invalid or expired' },
  'auth.csrf': { th: 'คำขอไม่มีรหัสป้องกัน CSRF ที่ถูกต้อง', en: 'Missing or wrong CSRF token' },
  'auth.account_exists': { th: 'มีบัญชีนี้อยู่แล้ว', en: 'An account with this email or phone exists' },
  'auth.contact_required': {
    th: 'กรุณาระบุอีเมลหรือหมายเลขโทรศัพท์มือถือ',
    en: 'Give an email or a Thai mobile number',
  },
  'auth.national_id_invalid': { th: 'เลขประจำตัวประชาชนไม่ถูกต้อง', en: 'The Thai national ID is not valid' },
  'auth.phone_invalid': { th: 'หมายเลขโทรศัพท์มือถือไม่ถูกต้อง', en: 'The Thai mobile number is not valid' },
  'auth.consent_required': {
    th: 'กรุณายอมรับประกาศความเป็นส่วนตัว',
    en: 'Consent to the privacy notice is required',
  },
  'org.outside_municipality': {
    th: 'ตำแหน่งนี้อยู่นอกเขตเทศบาล',
    en: 'This location is outside the municipality',
  },
  'devices.dev_eui_taken': { th: 'DevEUI นี้ลงทะเบียนไว้แล้ว', en: 'This DevEUI is registered already' },
  'devices.other_office': {
    th: 'อุปกรณ์นี้เป็นของสำนัก/กองอื่น',
    en: 'This device belongs to another office',
  },
  'devices.token_required': {
    th: 'กรุณาส่งโทเคนของอุปกรณ์ในส่วนหัว X-Device-Token',
    en: 'Send the device token in the X-Device-Token header',
  },
  'devices.token_invalid': { th: 'โทเคนของอุปกรณ์ไม่ถูกต้อง', en: 'The device token is not valid' },
  'devices.unknown_quantity': {
    th: 'โปรไฟล์ของอุปกรณ์ไม่ได้วัดค่านี้',
    en: 'The device profile does not measure this quantity',
  },
  'devices.profile_in_use': {
    th: 'ยังมีอุปกรณ์ใช้โปรไฟล์นี้อยู่',
    en: 'Devices still use this profile',
  },
  'org.office_not_found': { th: 'ไม่พบสำนัก/กองที่ระบุ', en: 'The office does not exist' },
  'complaints.category_unknown': { th: 'ไม่มีประเภทเรื่องนี้', en: 'There is no such category' },
  'complaints.contact_required': {
    th: 'กรุณาเข้าสู่ระบบ หรือให้อีเมลหรือหมายเลขโทรศัพท์ไว้ติดต่อกลับ (ไม่เปิดเผยต่อสาธารณะ)',
    en: 'Sign in, or give an email or phone number to reach you (never shown publicly)',
  },
  'complaints.outside_municipality': {
    th: 'ตำแหน่งนี้อยู่นอกเขตเทศบาลนครขอนแก่น โปรดแจ้งหน่วยงานท้องถิ่นของพื้นที่นั้น',
    en: 'This location is outside Khon Kaen City Municipality; please report it to the local authority there',
  },
  'complaints.not_found': { th: 'ไม่พบเรื่องร้องเรียนนี้', en: 'There is no such complaint' },
  'complaints.illegal_transition': {
    th: 'เปลี่ยนสถานะเช่นนี้ไม่ได้',
    en: 'The complaint cannot move to that status from where it is',
  },
  'complaints.reason_required': {
    th: 'กรุณาระบุเหตุผลที่ผู้แจ้งอ่านได้',
    en: 'Give a reason the citizen can read',
  },
  'complaints.public_text_empty': {
    th: 'ข้อความที่เผยแพร่ต้องไม่ว่าง',
    en: 'The public text cannot be empty',
  },
  'complaints.public_text_unexpected': {
    th: 'การส่งกลับไปรอตรวจไม่รับข้อความ',
    en: 'Putting a text back in the queue takes no text',
  },
  'complaints.bad_period': {
    th: 'ช่วงวันที่ไม่ถูกต้อง (ต้องเริ่มก่อนสิ้นสุด และไม่เกิน 10 ปี)',
    en: 'The period is not valid (it must start before it ends and span at most 10 years)',
  },
  'complaints.push_limit': {
    th: 'มีอุปกรณ์ติดตามเรื่องนี้ครบจำนวนสูงสุดแล้ว',
    en: 'Too many browsers already follow this complaint',
  },
  'complaints.push_not_found': {
    th: 'เบราว์เซอร์นี้ไม่ได้ติดตามเรื่องนี้อยู่',
    en: 'This browser does not follow this complaint',
  },
  'push.endpoint': {
    th: 'ที่อยู่สำหรับส่งการแจ้งเตือนไม่ถูกต้อง (ต้องเป็น https ที่เข้าถึงได้จากอินเทอร์เน็ต)',
    en: 'The push endpoint is not acceptable (it must be a public https address)',
  },
  'push.bad_keys': {
    th: 'กุญแจของการสมัครรับการแจ้งเตือนไม่ถูกต้อง',
    en: 'The push subscription keys are not valid',
  },
  'complaints.not_open': { th: 'เรื่องนี้ปิดไปแล้ว', en: 'This complaint is no longer open' },
  'tax.tax_id_invalid': { th: 'เลขประจำตัวผู้เสียภาษีไม่ถูกต้อง', en: 'The tax ID is not valid' },
  'tax.use_shares': { th: 'สัดส่วนการใช้ประโยชน์รวมกันต้องเท่ากับ 100%', en: 'Use shares must add up to 100%' },
  'tax.use_duplicate': {
    th: 'มีการใช้ประโยชน์เดียวกันซ้ำสองรายการ',
    en: 'The same use is listed twice',
  },
  'tax.edit_stale': {
    th: 'มีผู้อื่นแก้ไขรายการนี้หลังจากที่คุณเปิดอ่าน กรุณาเปิดใหม่แล้วแก้ไขอีกครั้ง',
    en: 'Someone else changed this record after you opened it; open it again and redo your change',
  },
  'tax.owner_unknown': { th: 'ไม่พบเจ้าของรายนี้ในทะเบียน', en: 'There is no owner with this ID in the register' },
  'tax.building_no_taken': {
    th: 'มีสิ่งปลูกสร้างอื่นในแปลงนี้ใช้หมายเลขนี้แล้ว',
    en: 'Another building on this parcel has this number',
  },
  'photo.not_image': {
    th: 'ไฟล์นี้ไม่ใช่รูปภาพ JPEG, PNG, WebP หรือ HEIC',
    en: 'The file is not a JPEG, PNG, WebP or HEIC image',
  },
  'photo.too_large': { th: 'รูปภาพมีขนาดไฟล์ใหญ่เกินกำหนด', en: 'The photo file is too large' },
  'photo.too_many_pixels': {
    th: 'รูปภาพมีความละเอียดสูงเกินกำหนด',
    en: 'The photo has too many pixels',
  },
  'photo.damaged': { th: 'ไฟล์รูปภาพเสียหาย อ่านไม่ได้', en: 'The photo file is damaged and cannot be read' },
  'tax.rates_missing': { th: 'ยังไม่มีอัตราภาษีของปีนี้', en: 'There is no rate table for this tax year' },
  'tax.bill_not_payable': { th: 'ใบแจ้งภาษีนี้ไม่ต้องชำระแล้ว', en: 'This bill is not payable' },
  'tax.instalments_not_allowed': {
    th: 'ใบแจ้งนี้ผ่อนชำระไม่ได้ (เฉพาะภาษีที่ดินและสิ่งปลูกสร้างหรือภาษีป้ายตั้งแต่ 3,000 บาทที่ยังไม่ได้ชำระ)',
    en: 'This bill cannot be paid in instalments (only unpaid land and building tax or signboard tax of 3,000 baht or more)',
  },
  'tax.instalments_exist': { th: 'ใบแจ้งนี้แบ่งงวดไว้แล้ว', en: 'This bill already has instalments' },
  'tax.national_id_required': {
    th: 'กรุณาเพิ่มเลขประจำตัวประชาชนในบัญชีของคุณก่อนยื่นแบบ',
    en: 'Add your national ID to your account before filing',
  },
  'tax.bill_not_paid': { th: 'ใบแจ้งภาษีนี้ยังไม่ได้ชำระ', en: 'This bill is not paid yet' },
  'tax.payment_resolved': {
    th: 'รายการชำระเงินนี้ได้รับการจัดการไปแล้ว',
    en: 'This payment has already been resolved',
  },
  'tax.payment_matched': {
    th: 'รายการชำระเงินนี้ตรงกับใบแจ้งภาษีแล้ว ไม่ต้องจัดการ',
    en: 'This payment was matched to its bill by the bank and needs nothing',
  },
  'tax.bill_already_paid': { th: 'ใบแจ้งภาษีนี้ชำระแล้ว', en: 'This bill is already paid' },
  'tax.bill_unknown': { th: 'ไม่พบใบแจ้งภาษีเลขที่นี้', en: 'There is no bill with this number' },
  'tax.payment_amount': {
    th: 'จำนวนเงินที่ชำระไม่ตรงกับยอดที่ต้องชำระ',
    en: 'The amount paid is not the amount due',
  },
  'tax.payment_amount_detail': {
    th: 'ชำระ {paid} บาท ยอดที่ต้องชำระ {due} บาท: บันทึกเป็นการชำระขาดหรือเกินที่ต้องคืนเงิน หรือปิดรายการ',
    en: 'paid {paid} baht, due {due} baht: record it as a partial or over payment to refund, or close it',
  },
  'tax.webhook_disabled': {
    th: 'ยังไม่ได้ตั้งค่ารับแจ้งการชำระเงินจากธนาคาร',
    en: 'The bank webhook is not configured',
  },
  'tax.webhook_stale': {
    th: 'เวลาของคำขอไม่ถูกต้องหรือเก่าเกินไป',
    en: 'The request timestamp is missing or too old',
  },
  'tax.webhook_signature': { th: 'ลายมือชื่อดิจิทัลไม่ถูกต้อง', en: 'The signature does not match' },
  // Details and field messages (`msg()`), put in the reader's language when the problem is written.
  'field.required': { th: 'กรุณาระบุ', en: 'required' },
  'field.check_digit': { th: 'เลขตรวจสอบ (หลักสุดท้าย) ไม่ถูกต้อง', en: 'the check digit is wrong' },
  'field.in_past': { th: 'เป็นเวลาที่ผ่านไปแล้ว', en: 'is in the past' },
  'field.unknown_office': { th: 'ไม่มีสำนัก/กองนี้', en: 'unknown office' },
  'field.unknown_device': { th: 'ไม่มีอุปกรณ์นี้', en: 'unknown device' },
  'field.unknown_profile': { th: 'ไม่มีโปรไฟล์อุปกรณ์นี้', en: 'unknown device profile' },
  'request.data_rule': { th: 'ข้อมูลขัดกับกฎของระบบ', en: 'violates a data rule' },
  'request.malformed_path': { th: 'ที่อยู่ (path) ไม่ถูกต้อง', en: 'malformed path' },
  'request.no_rows': { th: 'ไฟล์ไม่มีข้อมูลเลยสักแถว', en: 'the file has no rows' },
  'request.too_many_rows': {
    th: 'มีข้อมูลเกิน {max} แถว กรุณาแบ่งไฟล์',
    en: 'more than {max} rows; split the file',
  },
  'request.send_csv': { th: 'กรุณาส่งเป็น text/csv', en: 'send it as text/csv' },
  'request.send_csv_or_xlsx': {
    th: 'กรุณาส่งเป็น text/csv หรือไฟล์ Excel .xlsx',
    en: 'send it as text/csv or an Excel .xlsx file',
  },
  'request.expires_past': { th: 'เวลาหมดอายุ (expiresAt) ผ่านไปแล้ว', en: 'expiresAt is in the past' },
  'request.from_after_to': {
    th: 'เวลาเริ่มต้น (from) ต้องอยู่ก่อนเวลาสิ้นสุด (to)',
    en: 'from must be before to',
  },
  'request.at_most_days': { th: 'ช่วงเวลาต้องไม่เกิน {days} วัน', en: 'at most {days} days' },
  'request.empty_value': { th: 'ค่าของ {name} ว่างอยู่', en: '{name} is empty' },
  'request.owner_office_required': { th: 'กรุณาระบุสำนัก/กองที่เป็นเจ้าของ', en: 'name the owner office' },
  'org.point_in_no_zone': {
    th: 'จุด ({lon}, {lat}) ไม่อยู่ในเขตใดของเทศบาล',
    en: '({lon}, {lat}) is not inside any zone',
  },
  'url.not_url': { th: 'ไม่ใช่ URL', en: 'not a URL' },
  'url.http_no_credentials': {
    th: 'ต้องเป็น URL แบบ http(s) ที่ไม่มีชื่อผู้ใช้หรือรหัสผ่าน',
    en: 'an http(s) URL without credentials',
  },
  'url.https_no_credentials': {
    th: 'ต้องเป็น URL แบบ https ที่ไม่มีชื่อผู้ใช้ รหัสผ่าน หรือส่วนท้าย #',
    en: 'an https URL without credentials or fragment',
  },
  'url.https_required': { th: 'ต้องเป็น https', en: 'the endpoint must be https' },
  'url.unresolved': { th: 'หาที่อยู่ IP ของ {host} ไม่พบ', en: '{host} does not resolve' },
  'url.not_public': { th: '{host} ไม่ใช่ที่อยู่สาธารณะบนอินเทอร์เน็ต', en: '{host} is not a public address' },
  'push.p256dh_format': {
    th: 'keys.p256dh ต้องเป็นจุดบนเส้นโค้ง P-256 แบบไม่บีบอัด ขนาด 65 ไบต์',
    en: 'keys.p256dh must be a 65-byte uncompressed P-256 point',
  },
  'push.auth_length': { th: 'keys.auth ต้องมีขนาด 16 ไบต์', en: 'keys.auth must be 16 bytes' },
  'push.p256dh_curve': { th: 'keys.p256dh ไม่ใช่จุดบนเส้นโค้ง P-256', en: 'keys.p256dh is not a point on P-256' },
  'devices.payload_hex': { th: 'ต้องเป็นเลขฐานสิบหกจำนวนหลักคู่', en: 'not an even number of hex digits' },
  'devices.payload_base64': { th: 'ไม่ใช่ base64', en: 'not base64' },
  'devices.payload_size': { th: 'ข้อมูลต้องมี 1 ถึง {max} ไบต์', en: 'the payload must be 1 to {max} bytes' },
  'complaints.no_such_category': { th: 'ไม่มีประเภทเรื่อง "{category}"', en: 'no category "{category}"' },
  'complaints.point_outside': {
    th: 'จุด {lat}, {lon} อยู่นอกเขตเทศบาลนครขอนแก่น',
    en: '{lat}, {lon} is outside Khon Kaen City Municipality; report it to the local authority of that place',
  },
  'complaints.status_needs_note': {
    th: 'การเปลี่ยนเป็นสถานะ {status} ต้องมีหมายเหตุที่ผู้แจ้งอ่านได้',
    en: 'moving to {status} needs a public note',
  },
  'tax.use_shares_sum': {
    th: 'สัดส่วนการใช้ประโยชน์รวมกันได้ {share}% (ต้องเท่ากับ 100%)',
    en: 'use shares add up to {share}% (they must add up to 100%)',
  },
  'tax.main_home_residential': {
    th: 'บ้านหลังหลักใช้ได้กับการใช้ประโยชน์เพื่ออยู่อาศัยเท่านั้น',
    en: 'a main home is only for residential use',
  },
  'tax.vacant_years_vacant_only': {
    th: 'จำนวนปีที่ทิ้งว่างใช้ได้กับที่ดินว่างเปล่าเท่านั้น',
    en: 'years left vacant are only for vacant land',
  },
  'tax.use_listed_already': { th: 'มีการใช้ประโยชน์นี้อยู่ในรายการแล้ว', en: 'listed already' },
  'tax.not_in_register': { th: 'ไม่มีเลขนี้ในทะเบียน', en: 'not in the register' },
  'tax.area_positive': { th: 'เนื้อที่ต้องมากกว่า 0', en: 'the area must be more than 0' },
  'tax.block_needs_zone': {
    th: 'เมื่อระบุบล็อกราคาประเมิน ต้องระบุโซนด้วย',
    en: 'an appraisal block needs its zone',
  },
  'org.office_exists': { th: 'มีสำนัก/กองรหัส {code} อยู่แล้ว', en: 'office {code} exists' },
  'devices.no_such_device': { th: 'ไม่พบอุปกรณ์นี้', en: 'no such device' },
  'devices.no_such_profile': { th: 'ไม่พบโปรไฟล์อุปกรณ์นี้', en: 'no such device profile' },
  'devices.profile_name_taken': { th: 'มีโปรไฟล์อุปกรณ์ชื่อนี้อยู่แล้ว', en: 'a profile with this name exists' },
  'devices.profile_used_by': {
    th: 'ยังมีอุปกรณ์ {count} เครื่องใช้โปรไฟล์นี้อยู่',
    en: '{count} devices use this profile',
  },
  'devices.dev_eui_registered': {
    th: 'DevEUI {devEui} ลงทะเบียนไว้แล้ว',
    en: 'DevEUI {devEui} is registered already',
  },
  'devices.no_such_dead_letter': {
    th: 'ไม่พบรายการข้อมูลที่ประมวลผลไม่สำเร็จนี้',
    en: 'no such dead letter',
  },
  'devices.measures_no': {
    th: 'โปรไฟล์ของอุปกรณ์ไม่ได้วัดค่า {quantity}',
    en: 'the profile measures no {quantity}',
  },
  'complaints.cannot_move': {
    th: 'เรื่องที่อยู่ในสถานะ {from} เปลี่ยนเป็น {to} ไม่ได้ (เปลี่ยนได้เป็น: {allowed})',
    en: 'cannot go from {from} to {to}; allowed: {allowed}',
  },
  'complaints.cannot_move_any': {
    th: 'เรื่องที่อยู่ในสถานะ {from} เปลี่ยนเป็น {to} ไม่ได้ และเปลี่ยนสถานะต่อไม่ได้อีกแล้ว',
    en: 'cannot go from {from} to {to}; allowed: none',
  },
  'complaints.cannot_rate': {
    th: 'เรื่องที่อยู่ในสถานะ {status} ยังให้คะแนนความพึงพอใจไม่ได้',
    en: 'a {status} request cannot be rated',
  },
  'complaints.cannot_reopen': {
    th: 'เรื่องที่อยู่ในสถานะ {status} ขอเปิดใหม่ไม่ได้',
    en: 'a {status} request cannot be reopened',
  },
  'complaints.target_not_open': { th: 'เรื่อง {reference} ปิดไปแล้ว', en: '{reference} is not open' },
  'complaints.push_at_most': {
    th: 'เรื่องหนึ่งติดตามได้จากเบราว์เซอร์ไม่เกิน {max} เครื่อง',
    en: 'at most {max} browsers follow one complaint',
  },
  'tax.no_rates_for_year': { th: 'ยังไม่มีอัตราภาษีของปี {year}', en: 'no rate table for {year}' },
  'tax.changed_since_read': {
    th: 'มีผู้อื่นแก้ไขรายการนี้หลังจากที่คุณเปิดอ่าน (ขณะนี้เป็นฉบับที่ {version}) กรุณาเปิดใหม่แล้วแก้ไขอีกครั้ง',
    en: 'changed by someone else since it was read: now at version {version}; open it again',
  },
  'tax.owner_exists': {
    th: 'มีเจ้าของที่ใช้เลขประจำตัวนี้อยู่ในทะเบียนแล้ว',
    en: 'an owner with this ID exists',
  },
  'photo.nth': { th: 'ใช้รูปที่ {n} ไม่ได้', en: 'photo {n} cannot be used' },
  'photo.heic_unreadable': { th: 'อ่านไฟล์ HEIC ไม่ได้', en: 'the HEIC file could not be read' },
  'photo.heic_no_picture': { th: 'ไฟล์ HEIC ไม่มีรูปภาพอยู่ข้างใน', en: 'the HEIC file has no picture' },
  'photo.heic_undecodable': { th: 'แปลงรูปภาพ HEIC ไม่ได้', en: 'the HEIC picture could not be decoded' },
  'photo.more_pixels_than': {
    th: 'รูปภาพมีความละเอียดเกิน {max} พิกเซล',
    en: 'the picture has more than {max} pixels',
  },
  'photo.larger_than': { th: 'ไฟล์มีขนาดใหญ่กว่า {mb} MB', en: 'the file is larger than {mb} MB' },
  'photo.not_supported': {
    th: 'ไม่ใช่รูปภาพ JPEG, PNG, WebP หรือ HEIC',
    en: 'not a JPEG, PNG, WebP or HEIC image',
  },
  'photo.file_damaged': { th: 'ไฟล์รูปภาพเสียหาย', en: 'the image file is damaged' },
  'photo.no_size': { th: 'รูปภาพไม่มีขนาดกว้างยาว', en: 'the image has no size' },
  'request.missing_columns': {
    th: 'ไฟล์ขาดคอลัมน์ที่จำเป็น: {columns}',
    en: 'missing columns: {columns}',
  },
  'request.unreadable_file': { th: 'อ่านไฟล์ไม่ได้ ({reason})', en: 'the file cannot be read ({reason})' },
  'server.error': { th: 'ระบบขัดข้อง โปรดลองใหม่ภายหลัง', en: 'Something went wrong on our side' },
  'server.unavailable': { th: 'ระบบยังไม่พร้อมให้บริการ', en: 'The service is not ready' },
};

/** Values for a message's `{name}` placeholders. */
/** A placeholder's value: the same in both languages, or its own word in each (a status, say). */
export type MessageParams = Record<string, string | number | Record<Locale, string>>;

/** The message `key` in `locale`, its `{name}` placeholders filled from `params`. */
export function t(key: string, locale: Locale, params?: MessageParams): string {
  const text = messages[key]?.[locale] ?? messages[key]?.en ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (all, name: string) => {
    const value = params[name];
    if (value === undefined) return all;
    return typeof value === 'object' ? value[locale] : String(value);
  });
}

/** A message to be put in the reader's language later, when the response is written. */
export interface Message {
  key: string;
  params?: MessageParams;
}

/** Text for a user: a message key (with its placeholders) or, for data and third-party text, a literal. */
export type Text = string | Message;

export function msg(key: string, params?: MessageParams): Message {
  return params ? { key, params } : { key };
}

export function translate(text: Text, locale: Locale): string {
  return typeof text === 'string' ? text : t(text.key, locale, text.params);
}

export function hasMessage(key: string): boolean {
  return key in messages;
}

/** Thai unless the client prefers English before Thai. */
export function pickLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'th';
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag.split('-')[0], q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((x) => x.tag === 'th' || x.tag === 'en')
    .sort((a, b) => b.q - a.q);
  return (ranked[0]?.tag as Locale) ?? 'th';
}

export function registerMessages(extra: Messages): void {
  Object.assign(messages, extra);
}
