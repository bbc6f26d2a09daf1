// One preview run per example for all the CLI's test files: each run starts Pulumi's runner in a
// child process (several seconds), so the tests share it.

import * as path from "node:path";

import { collectPreview, type CollectedPreview } from "../../cli/preview";
import { REPO } from "../helpers/pack";

const runs = new Map<string, Promise<CollectedPreview>>();

/** The collected preview of `dir` (relative to the repository), run once per test process. */
export function previewOnce(dir: string): Promise<CollectedPreview> {
  const abs = path.resolve(REPO, dir);
  let run = runs.get(abs);
  if (run === undefined) {
    run = collectPreview(abs, { log: () => undefined });
    runs.set(abs, run);
  }
  return run;
}
