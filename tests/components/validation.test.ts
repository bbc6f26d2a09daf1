// Argument validation beyond the one bad-input table (tests/hardening/bad-inputs.table.ts, where every
// single bad value lives): every problem is listed at once, the restore clock is injectable, and values
// that are Outputs are checked when they resolve, failing the resources and outputs that depend on them.

import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { promiseOf, settle } from "../helpers/mocks"; // mocks first
import { build, KEY_URI, minimalArgs, tweak, VAULT_ID } from "./fixtures";
import { validateArgs } from "../../components/postgres/validate";

describe("ZeroTrustPostgres argument validation", function () {
  this.timeout(60000);

  it("accepts the minimal arguments (the table's baseline is valid)", () => {
    assert.doesNotThrow(() => validateArgs("base", minimalArgs()));
  });

  it("refuses a workload whose identity/role name would exceed 63 characters", () => {
    const args = tweak(
      minimalArgs(),
      (a) => (a.workloadIdentities = [{ name: "a".repeat(40), access: "reader" }]),
    );
    assert.throws(
      () => validateArgs("a-long-component-name", args),
      /`workloadIdentities\[0\].name` "a{40}" makes PostgreSQL role "a-long-component-name-a{40}-id" longer than 63 bytes/,
    );
  });

  it("lists every problem at once", () => {
    const args = tweak(minimalArgs(), (a) => {
      a.serverName = "Bad";
      a.backup = { retentionDays: 1 };
      a.tenantId = "x";
    });
    assert.throws(
      () => validateArgs("many", args),
      (e: Error) =>
        /`serverName`/.test(e.message) &&
        /`backup.retentionDays`/.test(e.message) &&
        /`tenantId`/.test(e.message),
    );
  });

  it("refuses a restore time that is not in the past relative to the clock it is given", () => {
    const args = tweak(minimalArgs(), (a) => {
      a.restore = {
        sourceServerResourceId:
          "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/r/providers/Microsoft.DBforPostgreSQL/flexibleServers/s",
        pointInTimeUtc: "2026-01-01T00:00:00Z",
      };
    });
    assert.doesNotThrow(() => validateArgs("pitr", args, new Date("2026-02-01T00:00:00Z")));
    assert.throws(() => validateArgs("pitr", args, new Date("2025-12-01T00:00:00Z")), /is not in the past/);
  });

  describe("Outputs that resolve to a bad value later", () => {
    // Pulumi reports a failed input on every resource that consumes it; collect those reports so they
    // do not leak into other tests, and assert they carry the same message.
    let leaked: unknown[] = [];
    const onLeak = (e: unknown) => leaked.push(e);
    beforeEach(() => {
      leaked = [];
      process.on("unhandledRejection", onLeak);
    });
    afterEach(async () => {
      await settle();
      await new Promise((r) => setTimeout(r, 50));
      process.off("unhandledRejection", onLeak);
    });

    it("fails the private endpoint and privateEndpointIp for a bad subnet id", async () => {
      const b = await build(
        "ztol",
        tweak(minimalArgs(), (a) => (a.network.privateEndpointSubnetResourceId = pulumi.output("subnet-1"))),
      );
      await assert.rejects(
        promiseOf(b.component.privateEndpointIp!),
        /`network.privateEndpointSubnetResourceId` "subnet-1" is not a subnet resource id; use \/subscriptions/,
      );
      assert.equal(
        b.ofType("azure-native:network:PrivateEndpoint").length,
        0,
        "no endpoint into an unknown subnet",
      );
      assert.ok(
        b.ofType("azure-native:dbforpostgresql:Server").length === 1,
        "unrelated children still register",
      );
    });

    it("fails keyUri and the server for a versioned brought key", async () => {
      const b = await build(
        "ztok",
        tweak(minimalArgs(), (a) => {
          a.encryption = {
            keyUri: pulumi.output(`${KEY_URI}/0123456789abcdef0123456789abcdef`),
            keyVaultResourceId: VAULT_ID,
          };
          a.backup = { geoRedundantBackup: false };
        }),
      );
      await assert.rejects(promiseOf(b.component.keyUri), /`encryption.keyUri` ".*" names a key version/);
      assert.equal(
        b.ofType("azure-native:dbforpostgresql:Server").length,
        0,
        "no server with a key it cannot rotate",
      );
    });

    it("fails workspaceId for a brought workspace id of the wrong type", async () => {
      const b = await build(
        "ztow",
        tweak(
          minimalArgs(),
          (a) => (a.monitoring = { logAnalyticsWorkspaceResourceId: pulumi.output(VAULT_ID) }),
        ),
      );
      await assert.rejects(
        promiseOf(b.component.workspaceId),
        /`monitoring.logAnalyticsWorkspaceResourceId` ".*vaults\/central-kv" is not a workspace resource id/,
      );
      assert.equal(
        b.ofType("azure-native:monitor:DiagnosticSetting").filter((d) => d.name === "ztow-server-diag")
          .length,
        0,
      );
    });

    it("does not federate an identity with an http issuer, and fails the connection output", async () => {
      const b = await build(
        "ztoi",
        tweak(minimalArgs(), (a) => {
          a.workloadIdentities = [
            {
              name: "api",
              access: "reader",
              aks: { issuerUrl: pulumi.output("http://issuer"), namespace: "api", serviceAccount: "api" },
            },
          ];
        }),
      );
      await settle();
      assert.equal(b.ofType("azure-native:managedidentity:FederatedIdentityCredential").length, 0);
      assert.ok(
        b.ofType("azure-native:managedidentity:UserAssignedIdentity").some((r) => r.name === "ztoi-api-id"),
      );
      await assert.rejects(
        promiseOf(b.component.connection),
        /`workloadIdentities\[0\].aks.issuerUrl` "http:\/\/issuer" is not an https URL/,
      );
    });
  });
});
