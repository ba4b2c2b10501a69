// Masks secrets and personal data before anything reaches a log line. Applied
// to every field of every line, so a token pasted into a path, an email in an
// error message or a password in a connection string never leaves the Worker.

const SECRET_KEY = /pass(word)?|secret|token|authori[sz]ation|cookie|api[-_]?key|otp|credential|signature|private[-_]?key|^sig$/i;

const RULES: [RegExp, string][] = [
  // user:password@ in connection strings and URLs
  [/\b([a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]+):[^@/\s]+@/gi, '$1:[REDACTED]@'],
  [/\bBearer\s+[\w.~+/=-]+/gi, 'Bearer [REDACTED]'],
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[REDACTED_JWT]'],
  // media tokens are in the path of every playback URL (/media/{token}/...)
  [/\/media\/[^/\s?#]+\//g, '/media/[REDACTED]/'],
  // secrets in query strings (presigned URLs, reset links)
  [/([?&](?:token|key|sig|signature|password|secret|otp|code|x-amz-signature|x-amz-credential|x-amz-security-token)=)[^&#\s]*/gi, '$1[REDACTED]'],
  // key=value / "key": "value" inside free text (error messages, headers dumps)
  [/\b(password|passwd|pwd|secret|token|api[-_]?key|otp)(["']?\s*[:=]\s*["']?)[^\s&"',;]+/gi, '$1$2[REDACTED]'],
  [/[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/gi, '[EMAIL]'],
  // phone numbers: 9-15 digits, optional +/00 prefix and separators; not part
  // of a longer word, so UUID segments and hex ids stay readable
  [/(?<![\w-])(?:\+|00)?\d(?:[ -]?\d){8,14}(?![\w-])/g, '[PHONE]'],
];

export function redactString(value: string): string {
  let out = value;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) {
    const plain: Record<string, unknown> = { name: value.name, message: value.message, stack: value.stack };
    if (value.cause !== undefined) plain.cause = value.cause;
    return redact(plain, depth + 1);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && v != null && v !== '' ? '[REDACTED]' : redact(v, depth + 1);
  }
  return out;
}
