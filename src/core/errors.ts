/**
 * Programmer and contract errors. Expected trouble with inputs is returned as a `Diagnostic`;
 * these are thrown only when a caller breaks a contract (a bad rule id, a malformed wheel name
 * passed to the strict parser, a prompt missing a variable). Each failure has its own stable code.
 */
export class FtbotError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FtbotError';
    this.code = code;
  }
}

/** Builds a typed error in one line: `throw ftbotError('E_CONFIG', 'config: …')`. */
export function ftbotError(code: string, message: string, cause?: unknown): FtbotError {
  return new FtbotError(code, message, cause === undefined ? undefined : { cause });
}

/** Returns `value` or throws with `reason` when it is null or undefined; use instead of `!`. */
export function nullThrows<T>(value: T | null | undefined, reason: string): T {
  if (value === null || value === undefined) throw new FtbotError('E_INVARIANT', `invariant: ${reason}`);
  return value;
}
