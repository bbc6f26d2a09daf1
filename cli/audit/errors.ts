// Errors the CLI reports in one line, without a stack trace, and the exit code each one means.

/** Exit codes of `zt-postgres audit` (and of the other commands where they apply). */
export const EXIT = {
  /** No mandatory violation. */
  ok: 0,
  /** At least one mandatory (or remediate-level) violation. */
  violations: 1,
  /** Bad input: a missing or unreadable file, not JSON, truncated, not a stack export, an unsupported version, bad arguments. */
  badInput: 2,
  /** The policy pack failed to start or answer, or the CLI itself failed: not the input's fault. */
  internal: 3,
  /** stdout was closed (EPIPE, e.g. `| head -1`) or full (ENOSPC): the output is incomplete. */
  outputFailed: 4,
} as const;

/** Why an input was refused. Tests assert on the kind, users read the message. */
export type InputErrorKind =
  | "missing"
  | "unreadable"
  | "empty"
  | "encoding"
  | "not-json"
  | "truncated"
  | "not-export"
  | "unsupported-version"
  | "bad-resource"
  | "bad-config"
  | "bad-project"
  | "bad-program"
  | "timeout"
  | "usage";

/**
 * Bad input: exit code 2. Messages name the file and the problem, never a value. Most are one line; a
 * program's refusal keeps every line of the component's message (control characters escaped).
 */
export class InputError extends Error {
  constructor(
    readonly kind: InputErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "InputError";
  }
}

/** The pack failed: printed as one line, exit code 3. */
export class PackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PackError";
  }
}
