const REDACTED = '[REDACTED]';
const MAX_CAUSE_DEPTH = 5;

/** Replaces every occurrence of each secret in `text`. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length > 0) result = result.split(secret).join(REDACTED);
  }
  return result;
}

/**
 * Copies an error (and its cause chain) into plain `Error`s holding only name, message and code,
 * with secrets redacted. Why: fetch/undici errors can reference sockets, requests or headers, and
 * any of those could carry the key into a log once the error is serialized.
 */
export function toSafeCause(error: unknown, secrets: readonly string[], depth = 0): Error {
  if (!(error instanceof Error)) {
    return new Error(redact(String(error), secrets));
  }
  const cause: unknown = error.cause;
  const safe = new Error(
    redact(error.message, secrets),
    cause !== undefined && depth < MAX_CAUSE_DEPTH
      ? { cause: toSafeCause(cause, secrets, depth + 1) }
      : undefined,
  );
  safe.name = error.name;
  const code: unknown = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') {
    Object.defineProperty(safe, 'code', { value: code, enumerable: true });
  }
  // The copy's stack would point here; the original stack may quote the message, so drop both.
  safe.stack = `${safe.name}: ${safe.message}`;
  return safe;
}

/** A one-line description of a failure, safe to log or show. */
export function describeFailure(error: unknown, secrets: readonly string[]): string {
  if (!(error instanceof Error)) return redact(String(error), secrets);
  const parts = [error.message];
  let cause: unknown = error.cause;
  for (let depth = 0; cause instanceof Error && depth < MAX_CAUSE_DEPTH; depth += 1) {
    // Undici wraps everything in "fetch failed"; the cause says what actually happened.
    parts.push(cause.message);
    cause = cause.cause;
  }
  return redact(parts.filter((part) => part.length > 0).join(': '), secrets);
}
