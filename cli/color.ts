// Whether to colour the output, decided once for every command, and the colours used.
//
// The decision, in order:
//   1. `FORCE_COLOR` set: "" , "1", "2", "3" or "true" forces colour, any other value ("0", "false")
//      turns it off. These are the values Node's own `tty.WriteStream#getColorDepth` reads (and chalk's
//      supports-color, which Node follows "for consistency throughout the ecosystem"); an explicit
//      FORCE_COLOR wins over NO_COLOR, as in Node (https://nodejs.org/api/tty.html#writestreamgetcolordepthenv,
//      read 2026-11-30; verified on Node 22: FORCE_COLOR=1 with NO_COLOR=1 gives colours).
//   2. `NO_COLOR` present and not empty: no colour. An empty NO_COLOR is ignored, as https://no-color.org
//      says ("when present and not an empty string (regardless of its value)"; read 2026-11-30). Node
//      itself also honours an empty one; we follow the convention's own text.
//   3. `TERM=dumb`: no colour (terminfo's "dumb" terminal has no colour codes).
//   4. Otherwise: colour only when the stream is a terminal. A file, a pipe or `--output` gets none.

/** Colour for a stream (stdout, stderr) under an environment; see the rules above. */
export function colorEnabled(
  stream: { isTTY?: boolean } | undefined,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return ["", "1", "2", "3", "true"].includes(force.trim().toLowerCase());
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return stream?.isTTY === true;
}

/**
 * The colours of `pulumi preview` (sdk/go/common/diag/colors/colors.go: SpecCreate Green, SpecDelete Red,
 * SpecUpdate Yellow, SpecReplace BrightMagenta, SpecCreateReplacement BrightGreen, SpecDeleteReplaced
 * BrightRed, SpecRead BrightCyan, written as 256-colour codes `38;5;N`;
 * https://github.com/pulumi/pulumi/blob/master/sdk/go/common/diag/colors/colors.go, read 2026-11-30).
 */
export const ANSI = {
  reset: "\x1b[0m",
  bold: "\x1b[1m",
  dim: "\x1b[2m",
  red: "\x1b[38;5;1m",
  green: "\x1b[38;5;2m",
  yellow: "\x1b[38;5;3m",
  brightRed: "\x1b[38;5;9m",
  brightGreen: "\x1b[38;5;10m",
  brightMagenta: "\x1b[38;5;13m",
  brightCyan: "\x1b[38;5;14m",
} as const;

export type Paint = (color: keyof typeof ANSI, text: string) => string;

/** A painter that colours when `on`, and returns the text unchanged otherwise. */
export function painter(on: boolean): Paint {
  return (color, text) => (on && text !== "" ? `${ANSI[color]}${text}${ANSI.reset}` : text);
}
