// Stack exports that arrive through a pipe: `pulumi stack export | zt-postgres audit -`,
// `zt-postgres audit /dev/stdin` and `zt-postgres audit <(pulumi stack export)`.
//
// The audit reads its file more than once (the first bytes for the encoding, then a stream, then again
// for SARIF line numbers) and at given offsets, which a pipe or FIFO cannot do (ESPIPE) and which would
// wait forever for a second writer. Such an input is copied once into a private temporary file, which is
// audited instead and removed afterwards; regular files are read in place.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pipeline } from "node:stream/promises";

import { InputError } from "./errors";

export interface AuditInput {
  /** The file to read. */
  path: string;
  /** The name the user gave, for messages. */
  display: string;
  /** Removes the temporary copy, if one was made. */
  cleanup(): void;
}

/** Whether `file` is "-" or a pipe, FIFO, socket or terminal rather than a regular file. */
function isStream(file: string): boolean {
  if (file === "-") return true;
  try {
    const st = fs.statSync(file);
    return st.isFIFO() || st.isSocket() || st.isCharacterDevice();
  } catch {
    return false; // the audit's own checks say what is wrong with it
  }
}

/** The input as a regular file: the file itself, or a copy of what the pipe carried. */
export async function auditInput(file: string): Promise<AuditInput> {
  const display = file === "-" ? "stdin" : file;
  if (!isStream(file)) return { path: file, display, cleanup: () => undefined };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zt-postgres-audit-"));
  const copy = path.join(dir, "stack-export.json");
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    const source = file === "-" ? process.stdin : fs.createReadStream(file);
    await pipeline(source, fs.createWriteStream(copy, { mode: 0o600 }));
  } catch (err) {
    cleanup();
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError("unreadable", `${display}: cannot be read (${code ?? (err as Error).message})`);
  }
  return { path: copy, display, cleanup };
}

/** Replaces the temporary copy's path with the name the user gave, in an error's message. */
export function renameInError(err: unknown, input: AuditInput): unknown {
  if (input.path === input.display || !(err instanceof Error)) return err;
  err.message = err.message.split(input.path).join(input.display);
  return err;
}
