// Text that reaches a terminal: every string that came from a program, a stack export, a policy pack or
// a file passes through `escapeControl` before it is printed, so no input can move the cursor, clear
// the screen, recolour the output or reorder it (bidirectional overrides) and so fake a result.

/**
 * C0 and C1 controls except newline, DEL, the Unicode line/paragraph separators and the bidirectional
 * embedding, override and isolate marks (Unicode TR #9; "Trojan Source", CVE-2021-42574).
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_AND_NEWLINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** Escapes control characters as `\xNN`/`\uNNNN`; newlines are kept unless `singleLine`. */
export function escapeControl(text: string, singleLine = false): string {
  return text.replace(singleLine ? CONTROL_AND_NEWLINE : CONTROL, escapeChar);
}

/** ANSI escape sequences (CSI and OSC) that a library wrote on purpose, e.g. `util.inspect` colours. */
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

/** Removes ANSI colour and cursor sequences (then escape what is left with `escapeControl`). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}
