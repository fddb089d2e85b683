/** Times as the logs write them (`new Date().toISOString()`), read without Date.parse. */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written in `at` from `from` to `to` (ASCII digits only), or -1. */
function digits(at: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = at.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * `ms` when `at` is exactly what `new Date(ms).toISOString()` writes (`YYYY-MM-DDTHH:MM:SS.mmmZ`,
 * years 1970-9999), else null. Read field by field: a million lines make Date.parse and
 * toISOString a second of an open.
 */
export function isoMs(at: string): number | null {
  if (at.length !== 24 || at[4] !== '-' || at[7] !== '-' || at[10] !== 'T' || at[13] !== ':' || at[16] !== ':' || at[19] !== '.' || at[23] !== 'Z') return null;
  const y = digits(at, 0, 4);
  const mo = digits(at, 5, 7);
  const d = digits(at, 8, 10);
  const h = digits(at, 11, 13);
  const mi = digits(at, 14, 16);
  const sec = digits(at, 17, 19);
  const ms = digits(at, 20, 23);
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 || ms < 0) return null;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > DAYS_IN_MONTH[mo - 1]! + (mo === 2 && leap ? 1 : 0)) return null;
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms);
}
