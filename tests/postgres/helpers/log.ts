// Reading the server log: backends write their lines asynchronously (a disconnection is logged after
// the client has gone), so wait for a line instead of reading once.

import type { TestCluster } from "./cluster";

/** Resolves with the whole log once `pattern` matches it; rejects after `timeoutMs` with the log's tail. */
export async function waitForLog(cluster: TestCluster, pattern: RegExp, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const log = cluster.log();
    if (pattern.test(log)) return log;
    if (Date.now() > deadline) {
      throw new Error(
        `no server log line matches ${pattern}; last lines:\n${log.split("\n").slice(-25).join("\n")}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
