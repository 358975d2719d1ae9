/**
 * A user-facing failure (bad file, unknown format, missing permission). The CLI prints
 * its message as one line and exits non-zero; it never shows a stack trace.
 */
export class InputError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'InputError';
  }
}
