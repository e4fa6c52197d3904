const digits = ['ศูนย์', 'หนึ่ง', 'สอง', 'สาม', 'สี่', 'ห้า', 'หก', 'เจ็ด', 'แปด', 'เก้า'];
const places = ['', 'สิบ', 'ร้อย', 'พัน', 'หมื่น', 'แสน'];

/** Reads 0–999,999 in Thai (เอ็ด for a final one after tens, ยี่ for two tens). */
function belowMillion(n: number): string {
  let out = '';
  const s = String(n);
  for (let i = 0; i < s.length; i++) {
    const d = Number(s[i]);
    const place = s.length - i - 1;
    if (d === 0) continue;
    if (place === 1 && d === 1) out += 'สิบ';
    else if (place === 1 && d === 2) out += 'ยี่สิบ';
    else if (place === 0 && d === 1 && s.length > 1) out += 'เอ็ด';
    else out += digits[d] + places[place];
  }
  return out;
}

function readInteger(n: number): string {
  if (n === 0) return '';
  const millions = Math.floor(n / 1_000_000);
  const rest = n % 1_000_000;
  return (millions ? `${readInteger(millions)}ล้าน` : '') + belowMillion(rest);
}

/** An amount in satang as Thai words, as printed on receipts: "หนึ่งร้อยบาทสามสิบห้าสตางค์", "…บาทถ้วน". */
export function bahtText(satang: number): string {
  if (!Number.isInteger(satang) || satang < 0)
    throw new RangeError('satang must be a whole, non-negative number');
  const bahtPart = Math.floor(satang / 100);
  const satangPart = satang % 100;
  if (bahtPart === 0 && satangPart === 0) return 'ศูนย์บาทถ้วน';
  const words = bahtPart ? `${readInteger(bahtPart)}บาท` : '';
  return words + (satangPart ? `${belowMillion(satangPart)}สตางค์` : 'ถ้วน');
}
