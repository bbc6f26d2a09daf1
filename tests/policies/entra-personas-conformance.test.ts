// examples/entra-personas through the policy pack, as `zt-postgres preview` runs it: the persona
// groups, their PIM policies and eligibilities are in the preview, and the pack reports zero
// violations. Then one insecure change per Entra rule gives exactly that rule's violation. Needs the
// compiled pack (`npm run build`).

import * as assert from "node:assert/strict";
import * as path from "node:path";

import { startPack, type PackClient, type PackResource } from "../../cli/pack-client";
import { collectPreview, evaluateWithPack, type CollectedPreview } from "../../cli/preview";
import { PACK_DIR, REPO, assertPackBuilt } from "../helpers/pack";

const quiet = () => undefined;
const POLICY = "azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy";

describe("examples/entra-personas through the policy pack", function () {
  this.timeout(180_000);
  let pack: PackClient;
  let preview: CollectedPreview;

  const evaluate = async (rs: PackResource[]) =>
    (await evaluateWithPack(rs, { pack, stackUrn: preview.stackUrn, readUrns: preview.readUrns })).map(
      (d) => [d.policy, d.level, d.urn.split("::").pop() ?? ""],
    );

  /** A copy of the resources with one policy's activation rules changed. */
  const withActivation = (name: string, change: Record<string, unknown>): PackResource[] =>
    preview.packResources.map((r) =>
      r.type === POLICY && r.urn.endsWith(`::${name}`)
        ? {
            ...r,
            properties: {
              ...r.properties,
              activationRules: { ...(r.properties.activationRules as Record<string, unknown>), ...change },
            },
          }
        : r,
    );

  before(async function () {
    assertPackBuilt();
    [pack, preview] = await Promise.all([
      startPack({ packDir: PACK_DIR }),
      collectPreview(path.join(REPO, "examples", "entra-personas"), { log: quiet }),
    ]);
  });

  after(async function () {
    await pack?.close();
  });

  it("previews the groups, PIM policies and eligibilities", () => {
    const count = (t: string) => preview.packResources.filter((r) => r.type === t).length;
    assert.equal(count("azuread:index/group:Group"), 3);
    assert.equal(count(POLICY), 3);
    assert.equal(
      count(
        "azuread:index/privilegedAccessGroupEligibilitySchedule:PrivilegedAccessGroupEligibilitySchedule",
      ),
      4,
    );
  });

  it("gives zero violations at any level", async () => {
    assert.deepEqual(await evaluate(preview.packResources), []);
  });

  it("an admin policy without approval gives exactly entra-pim-admin-approval", async () => {
    assert.deepEqual(
      await evaluate(withActivation("zt-personas-group-pg-app-admins-pim", { requireApproval: false })),
      [["entra-pim-admin-approval", "mandatory", "zt-personas-group-pg-app-admins-pim"]],
    );
  });

  it("a 12-hour reader activation gives exactly entra-pim-activation-duration", async () => {
    assert.deepEqual(
      await evaluate(withActivation("zt-personas-group-pg-app-readers-pim", { maximumDuration: "PT12H" })),
      [["entra-pim-activation-duration", "mandatory", "zt-personas-group-pg-app-readers-pim"]],
    );
  });

  it("a 90-day audit workspace gives exactly log-analytics-audit-retention", async () => {
    const rs = preview.packResources.map((r) =>
      r.type === "azure-native:operationalinsights:Workspace"
        ? { ...r, properties: { ...r.properties, retentionInDays: 90 } }
        : r,
    );
    assert.deepEqual(await evaluate(rs), [["log-analytics-audit-retention", "advisory", "zt-personas-logs"]]);
  });
});
