/**
 * CHI-like numbers in free text (§8). A CHI number is ten digits beginning with the date of birth (DDMMYY).
 * Free text is refused when, after NFKC normalising, it holds ten digits written together or in groups split by
 * single spaces, dots or dashes, with no digit either side, whose first six are a valid DDMMYY date. The check
 * digit is not required: a mistyped CHI is still personal data. Slashes and colons do not join groups, so
 * `03/11/2025 14:00` is a date and time, not a CHI; `123-456-7890` cannot begin with a date, so it is allowed.
 */

/** Why free text holding a CHI-like number is refused. */
export const CHI_MESSAGE =
  'Remove the number that looks like a CHI number (ten digits starting with a date of birth): do not write a CHI number, or a name, here.';

/** Dashes NFKC leaves alone (hyphen, non-breaking hyphen, figure dash, en and em dash, horizontal bar, minus). */
const DASHES = /[\u2010-\u2015\u2212]/g;
/** Any space separator (NFKC turns most into U+0020 already; this catches the rest). */
const SPACES = /\p{Zs}/gu;

/** A start of ten digits (captured), optionally one separator between each two, with no digit before or after. */
const CANDIDATE = /(?<!\d)(?=(\d(?:[ .-]?\d){9})(?!\d))/g;

/** The text as the check reads it: compatibility forms folded (full-width digits, NBSP), every dash and space made plain. */
export function normaliseForChi(text: string): string {
  return text.normalize('NFKC').replace(DASHES, '-').replace(SPACES, ' ');
}

/** DDMMYY is a real date (29 February in any year divisible by four, as the century is unknown). */
export function isDdmmyy(six: string): boolean {
  if (!/^\d{6}$/.test(six)) return false;
  const dd = Number(six.slice(0, 2));
  const mm = Number(six.slice(2, 4));
  const yy = Number(six.slice(4, 6));
  if (mm < 1 || mm > 12 || dd < 1) return false;
  const days = [31, yy % 4 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mm - 1];
  return dd <= days;
}

/** True when the text holds a CHI-like number. */
export function holdsChi(text: string): boolean {
  for (const m of normaliseForChi(text).matchAll(CANDIDATE)) {
    const digits = m[1].replace(/\D/g, '');
    if (isDdmmyy(digits.slice(0, 6))) return true;
  }
  return false;
}

/** The rule for every free-text field: why it is refused, or undefined. */
export function chiProblem(text: string | undefined): string | undefined {
  return text && holdsChi(text) ? CHI_MESSAGE : undefined;
}
