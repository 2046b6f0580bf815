/**
 * Money as integer pence, from what people type to what they read. No floating point anywhere: the
 * pounds and pence are read as digits and put together with integer arithmetic.
 */

/** The most any one amount may be: £10,000. A personal budget is a small fund; more is a typing slip. */
export const maxPence = 1_000_000;

export type PenceProblem = 'empty' | 'format' | 'negative' | 'decimals' | 'zero' | 'too-big';

export type ParsedPence = { ok: true; pence: number } | { ok: false; problem: PenceProblem };

/**
 * "£12.50", "12.5", "12", "1,250" → pence. Refuses a minus sign, more than two decimals, anything
 * else that is not an amount, nothing at all, zero (unless allowed) and more than `maxPence`.
 */
export function parsePence(typed: string, options: { allowZero?: boolean } = {}): ParsedPence {
  const text = typed.trim().replace(/\s+/g, '');
  if (text === '') return { ok: false, problem: 'empty' };
  if (/^[-−–]/.test(text) || /^£[-−–]/.test(text)) return { ok: false, problem: 'negative' };
  const match = /^£?(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/.exec(text);
  if (!match || (match[1] === undefined && !match[2])) return { ok: false, problem: 'format' };
  const whole = (match[1] ?? '0').replace(/,/g, '');
  const fraction = match[2] ?? '';
  if (fraction.length > 2) return { ok: false, problem: 'decimals' };
  // Anything longer than eight digits of pounds is absurd here; it would also overflow safe integers.
  if (whole.replace(/^0+/, '').length > 8) return { ok: false, problem: 'too-big' };
  const pence = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (pence > maxPence) return { ok: false, problem: 'too-big' };
  if (pence === 0 && !options.allowZero) return { ok: false, problem: 'zero' };
  return { ok: true, pence };
}

/** 1250 → "£12.50", -1250 → "−£12.50" (a true minus sign), 123456 → "£1,234.56"; the same in Welsh. */
export function formatPence(pence: number, options: { signed?: boolean } = {}): string {
  if (!Number.isSafeInteger(pence)) throw new Error('Money is whole pence');
  const size = Math.abs(pence);
  const pounds = (size - (size % 100)) / 100;
  const rest = String(size % 100).padStart(2, '0');
  const grouped = String(pounds).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = pence < 0 ? '−' : options.signed && pence > 0 ? '+' : '';
  return `${sign}£${grouped}.${rest}`;
}

/** Pence as a form shows them for editing: "12.50", never with a £ or a thousands comma. */
export function penceForInput(pence: number): string {
  return formatPence(pence).replace(/[£,]/g, '');
}
