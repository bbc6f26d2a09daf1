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

/**
 * One unit of a printed line: an ANSI sequence (no width), an escape that `escapeControl` wrote
 * (`\xNN`, `\uNNNN`: kept whole, so a cut never leaves half of one), or one code point.
 */
// eslint-disable-next-line no-control-regex
const UNIT = /\u001b\[[0-?]*[ -/]*[@-~]|\\x[0-9a-f]{2}|\\u[0-9a-f]{4}|[\s\S]/gu;
// eslint-disable-next-line no-control-regex
const IS_ANSI = /^\u001b\[/;

/** One column for a code point (a surrogate pair too), the escape's own length for `\xNN`/`\uNNNN`. */
const unitWidth = (unit: string): number => (unit.startsWith("\\") && unit.length > 1 ? unit.length : 1);

/** The printed width of `line`: ANSI sequences count nothing, every code point one column. */
export function visibleWidth(line: string): number {
  let width = 0;
  for (const unit of line.match(UNIT) ?? []) if (!IS_ANSI.test(unit)) width += unitWidth(unit);
  return width;
}

/**
 * `line` cut to `width` columns with "…" at the end when it is longer. An ANSI sequence is never cut in
 * half, nor an escape `escapeControl` wrote; a colour still open at the cut is reset.
 */
export function fitToWidth(line: string, width: number | undefined): string {
  if (width === undefined || visibleWidth(line) <= width) return line;
  let out = "";
  let used = 0;
  let open = false;
  for (const unit of line.match(UNIT) ?? []) {
    if (IS_ANSI.test(unit)) {
      out += unit;
      open = unit !== "\u001b[0m" && unit !== "\u001b[m";
      continue;
    }
    const w = unitWidth(unit);
    if (used + w > width - 1) break;
    out += unit;
    used += w;
  }
  return `${out}…${open ? "\u001b[0m" : ""}`;
}

/** `text` (one line, no colour) wrapped at spaces to `width` columns; later lines start with `indent`. */
export function wrapToWidth(text: string, width: number | undefined, indent: string): string[] {
  if (width === undefined || visibleWidth(text) <= width) return [text];
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(/(?<= )/)) {
    if (current.trim() !== "" && visibleWidth(current + word.trimEnd()) > width) {
      lines.push(current.trimEnd());
      current = indent + word;
    } else {
      current += word;
    }
  }
  if (current.trim() !== "") lines.push(current.trimEnd());
  // A single word longer than the width is cut rather than overflowing.
  return lines.map((l) => fitToWidth(l, width));
}
