// Where the restart command cannot run (`automaticRestart: false`), the stack says what to run instead:
// the output `manualRestartStep`, which `zt-postgres preview` prints as a user sees it. The stack
// `manual-restart` of examples/vnet-integration (Pulumi.manual-restart.yaml) turns the command off.

import assert from "node:assert/strict";

import { cli } from "../helpers/cli-run";

describe("zt-postgres preview of a stack with automaticRestart: false", function () {
  this.timeout(600_000);

  it("prints the manual restart step among the outputs and plans no restart command", async function () {
    const run = await cli(["preview", "examples/vnet-integration", "--stack", "manual-restart"]);
    assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`);
    const line = run.stdout.split("\n").find((l) => l.trimStart().startsWith("manualRestartStep"));
    assert.ok(line, run.stdout);
    assert.match(
      line,
      /^ {4}manualRestartStep +Restart the server once after this update so the static parameters \(shared_preload_libraries\) take effect and pgaudit is loaded: az postgres flexible-server restart --resource-group \S+ --name pg-vi-[0-9a-z]{8}$/,
    );
    assert.doesNotMatch(run.stdout, /command:local:Command/);
    assert.doesNotMatch(run.stdout, /pg-vi-restart/);
  });
});
