// log-analytics-audit-retention: a workspace that receives a PostgreSQL server's logs keeps them for
// the configured minimum. Starts from the compliant stack and changes one thing per case.

import * as assert from "node:assert/strict";

import type { StackResourceView } from "../../policies/rules";
import { auditWorkspaceRetention as rule } from "../../policies/rules/workspace";
import { RG, WORKSPACE_ID, happyStack, stackResource as res, urn } from "./fixtures";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const WS = "azure-native:operationalinsights:Workspace";
const CLASSIC_WS = "azure:operationalinsights/analyticsWorkspace:AnalyticsWorkspace";

function withWorkspace(
  retentionInDays: unknown,
  extra: Partial<StackResourceView> = {},
): StackResourceView[] {
  return [
    ...happyStack(),
    res(
      WS,
      "law",
      { resourceGroupName: RG, workspaceName: "law-zt", retentionInDays },
      { id: WORKSPACE_ID, ...extra },
    ),
  ];
}

function check(stack: StackResourceView[], config: Record<string, unknown> = {}): string[] {
  return rule.check(stack, config).map((v) => `${(v.urn ?? "").split("::").pop()}: ${v.message}`);
}

describe("log-analytics-audit-retention", () => {
  it("passes a workspace keeping PostgreSQL logs for 365 days", () => {
    assert.deepEqual(check(withWorkspace(365)), []);
  });

  it("flags 90 days against the default 365-day minimum", () => {
    const [m, ...rest] = check(withWorkspace(90));
    assert.deepEqual(rest, []);
    assert.equal(
      m,
      'law: Log Analytics workspaces that receive PostgreSQL server logs should retain them for at least `minimumRetentionDays`: Workspace "law" receives PostgreSQL logs but retentionInDays is 90, below the 365-day minimum. Set retentionInDays to at least 365.',
    );
  });

  it("judges unset retention as the 30-day Log Analytics default", () => {
    assert.match(
      check(withWorkspace(undefined))[0],
      /retentionInDays is unset \(30 days\), below the 365-day minimum/,
    );
  });

  it("honours a configured minimum", () => {
    assert.deepEqual(check(withWorkspace(90), { minimumRetentionDays: 90 }), []);
    assert.match(check(withWorkspace(365), { minimumRetentionDays: 730 })[0], /below the 730-day minimum/);
  });

  it("ignores a workspace no PostgreSQL diagnostic setting sends to", () => {
    const s = withWorkspace(30);
    s[s.length - 1].id = `${WORKSPACE_ID}-other`;
    s[s.length - 1].props.workspaceName = "other";
    assert.deepEqual(check(s), []);
  });

  it("links by resource group and name when the workspace id is not in the view", () => {
    assert.equal(check(withWorkspace(60, { id: undefined })).length, 1);
  });

  it("links by dependency at preview, and leaves unknown retention alone", () => {
    const s = withWorkspace(60, { id: undefined });
    const diag = s.find((r) => r.name === "pg-diag") as StackResourceView;
    diag.props.workspaceId = UNKNOWN;
    diag.dependencies = [urn(WS, "law")];
    assert.equal(check(s).length, 1);
    s[s.length - 1].props.retentionInDays = UNKNOWN;
    assert.deepEqual(check(s), []);
  });

  it("reads the classic provider's workspace", () => {
    const s = [
      ...happyStack(),
      res(
        CLASSIC_WS,
        "law",
        { resourceGroupName: RG, name: "law-zt", retentionInDays: 30 },
        { id: WORKSPACE_ID },
      ),
    ];
    assert.equal(check(s).length, 1);
  });

  it("needs a server behind the diagnostic setting", () => {
    const s = withWorkspace(30).filter((r) => r.name !== "pg-diag");
    assert.deepEqual(check(s), []);
  });
});
