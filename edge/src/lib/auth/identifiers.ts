// Phone numbers and emails in the one form we store, compare and key Redis by.

/**
 * E.164 (+<country><number>, 8-15 digits). Iranian habits are accepted:
 * 09xxxxxxxxx and 9xxxxxxxxx (mobile, national form) and 00989... become
 * +989...; spaces, dashes, dots and parentheses are ignored; Persian and
 * Arabic-Indic digits are read as ASCII. Returns undefined when it cannot be
 * a phone number.
 */
export function normalizePhone(input: string): string | undefined {
  let s = toAsciiDigits(input).replace(/[\s\-().]/g, '');
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  else if (/^09\d{9}$/.test(s)) s = `+98${s.slice(1)}`;
  else if (/^9\d{9}$/.test(s)) s = `+98${s}`;
  if (!/^\+[1-9]\d{7,14}$/.test(s)) return undefined;
  // An Iranian number must be a full mobile/landline length: +98 and 10 digits.
  if (s.startsWith('+98') && s.length !== 13) return undefined;
  return s;
}

/** Lower-cased and trimmed: the database compares emails case-insensitively (citext). */
export function normalizeEmail(input: string): string {
  return input.trim().toLowerCase();
}

function toAsciiDigits(s: string): string {
  return s.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (d) => String((d.charCodeAt(0) & 0xf) % 10));
}
