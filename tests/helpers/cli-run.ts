// Runs the built CLI (`node dist/cli/main.js`) as a user does, in a child process, and collects its
// exit status and output. Shared by the tests that judge what a person sees on the terminal.

import { spawn } from "node:child_process";
import * as path from "node:path";

export const ROOT = path.join(__dirname, "..", "..");
export const MAIN = path.join(ROOT, "dist", "cli", "main.js");

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
