// DevOps access: CI identities federated with GitHub Actions, Azure DevOps or any OIDC issuer; the
// break-glass administrator kept apart from the daily admins; ServiceAccount manifests for AKS.

import * as assert from "node:assert/strict";
import { byName, recorder, settle, since } from "../helpers/mocks"; // mocks first
import {
  ENTRA_TOKEN_AUDIENCE,
  ciPrincipal,
  createCiIdentities,
  resolveBreakGlass,
  resolveCiIdentities,
  resolveFederation,
  serviceAccountManifest,
} from "../../components/postgres/devops";
import { checkResource } from "../arm-types/walker";

const ORG_ID = "66666666-6666-4666-8666-666666666666";
const CLIENT = "77777777-7777-4777-8777-777777777777";
const TENANT = "00000000-0000-4000-8000-0000000000aa";

describe("DevOps access", () => {
  describe("federated credentials", () => {
    it("builds GitHub Actions subjects for an environment, a branch, a tag and pull requests", () => {
      const sub = (g: object) => resolveFederation("f", { github: { repository: "contoso/db", ...g } });
      assert.deepEqual(
        [{ environment: "prod" }, { branch: "main" }, { tag: "v1.2.0" }, { pullRequest: true }].map(
          (g) => sub(g).subject,
        ),
        [
          "repo:contoso/db:environment:prod",
          "repo:contoso/db:ref:refs/heads/main",
          "repo:contoso/db:ref:refs/tags/v1.2.0",
          "repo:contoso/db:pull_request",
        ],
      );
      const f = sub({ environment: "prod" });
      assert.equal(f.issuer, "https://token.actions.githubusercontent.com");
      assert.equal(f.audience, ENTRA_TOKEN_AUDIENCE);
      assert.match(f.name, /^github-[0-9a-f]{16}$/);
      assert.equal(f.name, sub({ environment: "prod" }).name, "stable for the same issuer and subject");
      assert.notEqual(f.name, sub({ environment: "test" }).name);
    });

    it("builds the Azure DevOps issuer from the organization id and the sc:// subject", () => {
      const f = resolveFederation("f", {
        azureDevOps: {
          organizationId: ORG_ID.toUpperCase(),
          organization: "contoso",
          project: "db",
          serviceConnection: "prod-pg",
        },
      });
      assert.deepEqual(
        [f.issuer, f.subject, f.audience],
        [`https://vstoken.dev.azure.com/${ORG_ID}`, "sc://contoso/db/prod-pg", ENTRA_TOKEN_AUDIENCE],
      );
    });

    it("takes any OIDC issuer with an exact subject and audience", () => {
      const f = resolveFederation("f", {
        oidc: {
          issuer: "https://gitlab.example.com",
          subject: "project_path:db/infra:ref_type:branch:ref:main",
          audience: "https://gitlab.example.com",
        },
      });
      assert.deepEqual(
        [f.issuer, f.subject, f.audience],
        [
          "https://gitlab.example.com",
          "project_path:db/infra:ref_type:branch:ref:main",
          "https://gitlab.example.com",
        ],
      );
      assert.equal(
        resolveFederation("f", { oidc: { issuer: "https://issuer.example.com", subject: "job" } }).audience,
        ENTRA_TOKEN_AUDIENCE,
      );
    });

    const bad: [string, Parameters<typeof resolveFederation>[1], RegExp][] = [
      [
        "no source",
        {},
        /`ci\[0\]\.federations\[0\]` sets none of github, azureDevOps and oidc; set exactly one/,
      ],
      [
        "two sources",
        {
          github: { repository: "a/b", branch: "main" },
          oidc: { issuer: "https://x.example", subject: "s" },
        },
        /sets github and oidc/,
      ],
      [
        "a repository without an owner",
        { github: { repository: "db", branch: "main" } },
        /`ci\[0\]\.federations\[0\]\.github\.repository` "db" is not allowed; use "owner\/repo"/,
      ],
      [
        "a GitHub source with a branch and an environment",
        { github: { repository: "a/b", branch: "main", environment: "prod" } },
        /must set exactly one of environment, branch, tag or pullRequest \(it sets 2\)/,
      ],
      [
        "a branch with a colon",
        { github: { repository: "a/b", branch: "x:y" } },
        /github\.branch` "x:y" is not allowed/,
      ],
      [
        "an Azure DevOps organization name as id",
        {
          azureDevOps: {
            organizationId: "contoso",
            organization: "contoso",
            project: "p",
            serviceConnection: "s",
          },
        },
        /organizationId` "contoso" is not allowed; use the organization's id \(a GUID\)/,
      ],
      [
        "an http issuer",
        { oidc: { issuer: "http://issuer.example.com", subject: "s" } },
        /oidc\.issuer` "http:\/\/issuer\.example\.com" is not allowed; use an https URL/,
      ],
      [
        "a wildcard subject",
        { oidc: { issuer: "https://issuer.example.com", subject: "repo:*" } },
        /oidc\.subject` "repo:\*" is not allowed; use the exact sub claim/,
      ],
    ];
    for (const [what, f, re] of bad) {
      it(`refuses ${what}`, () => assert.throws(() => resolveFederation("ci[0].federations[0]", f), re));
    }
  });

  describe("CI identities", () => {
    const deployers = () =>
      resolveCiIdentities("zt", "ciIdentities", [
        {
          name: "deploy",
          federations: [
            { github: { repository: "contoso/db", environment: "prod" } },
            {
              azureDevOps: {
                organizationId: ORG_ID,
                organization: "contoso",
                project: "db",
                serviceConnection: "prod-pg",
              },
            },
          ],
        },
        {
          name: "reports",
          access: "reader",
          federations: [{ oidc: { issuer: "https://issuer.example.com", subject: "reports" } }],
        },
      ]);

    it("defaults to the migration-capable admin level and names the identity from the component", () => {
      const [d, r] = deployers();
      assert.deepEqual(
        [d.identityName, d.access, r.identityName, r.access],
        ["zt-ci-deploy-id", "admin", "zt-ci-reports-id", "reader"],
      );
      assert.deepEqual(ciPrincipal(d, CLIENT), {
        role: "zt-ci-deploy-id",
        objectId: CLIENT,
        principalType: "service",
        access: "admin",
        requireMfa: false,
      });
    });

    it("refuses duplicate names, bad access levels, empty and oversized credential lists, and repeats", () => {
      const one = [{ github: { repository: "a/b", branch: "main" } }];
      assert.throws(
        () =>
          resolveCiIdentities("zt", "ciIdentities", [
            { name: "d", federations: one },
            { name: "d", federations: one },
          ]),
        /`ciIdentities\[1\]\.name` "d" is not allowed; give each CI identity its own name/,
      );
      assert.throws(
        () => resolveCiIdentities("zt", "ciIdentities", [{ name: "Deploy", federations: one }]),
        /`ciIdentities\[0\]\.name` "Deploy" is not allowed/,
      );
      assert.throws(
        () =>
          resolveCiIdentities("zt", "ciIdentities", [
            { name: "d", access: "owner" as "admin", federations: one },
          ]),
        /`ciIdentities\[0\]\.access` "owner" is not allowed/,
      );
      assert.throws(
        () => resolveCiIdentities("zt", "ciIdentities", [{ name: "d", federations: [] }]),
        /`ciIdentities\[0\]\.federations` \[\] is not allowed; list 1-20 token sources/,
      );
      const many = Array.from({ length: 21 }, (_, i) => ({ github: { repository: "a/b", branch: `b${i}` } }));
      assert.throws(
        () => resolveCiIdentities("zt", "ciIdentities", [{ name: "d", federations: many }]),
        /list 1-20 token sources/,
      );
      assert.throws(
        () => resolveCiIdentities("zt", "ciIdentities", [{ name: "d", federations: [...one, ...one] }]),
        /`ciIdentities\[0\]\.federations\[1\]` "repo:a\/b:ref:refs\/heads\/main" is not allowed; list each issuer and subject once/,
      );
    });

    it("creates one identity per CI identity and its credentials one after another, within the ARM types", async () => {
      const from = recorder.resources.length;
      const made = createCiIdentities("rg-zt", "westeurope", deployers(), { env: "test" }, {});
      await settle();
      const rs = since(from);
      const [d] = deployers();
      // Registration order follows the engine's RPCs, so compare sorted.
      assert.deepEqual(
        rs.map((r) => [r.type, r.name]).sort(),
        [
          ["azure-native:managedidentity:UserAssignedIdentity", "zt-ci-deploy-id"],
          [
            "azure-native:managedidentity:FederatedIdentityCredential",
            `zt-ci-deploy-${d.federations[0].name}`,
          ],
          [
            "azure-native:managedidentity:FederatedIdentityCredential",
            `zt-ci-deploy-${d.federations[1].name}`,
          ],
          ["azure-native:managedidentity:UserAssignedIdentity", "zt-ci-reports-id"],
          [
            "azure-native:managedidentity:FederatedIdentityCredential",
            `zt-ci-reports-${deployers()[1].federations[0].name}`,
          ],
        ].sort(),
      );
      const cred = byName(rs, `zt-ci-deploy-${d.federations[1].name}`).inputs;
      assert.deepEqual(cred, {
        resourceGroupName: "rg-zt",
        resourceName: "zt-ci-deploy-id",
        federatedIdentityCredentialResourceName: d.federations[1].name,
        issuer: `https://vstoken.dev.azure.com/${ORG_ID}`,
        subject: "sc://contoso/db/prod-pg",
        audiences: ["api://AzureADTokenExchange"],
      });
      assert.equal(made[0].credentials.length, 2);
      const problems: string[] = [];
      for (const r of rs) {
        const identity = r.type.endsWith("UserAssignedIdentity");
        problems.push(
          ...checkResource(
            {
              dir: "managedidentity/2023-01-31",
              armType: identity
                ? "Microsoft.ManagedIdentity/userAssignedIdentities"
                : "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
              apiVersion: "2023-01-31",
              nameInput: identity ? "resourceName" : "federatedIdentityCredentialResourceName",
              pathParams: identity ? ["resourceGroupName"] : ["resourceGroupName", "resourceName"],
            },
            r.inputs,
          ),
        );
      }
      assert.deepEqual(problems, []);
    });
  });

  describe("break-glass administrator", () => {
    const admins = [{ objectId: "11111111-1111-4111-8111-111111111111", principalName: "pg-admins" }];
    it("resolves a separate emergency account, a user by default", () => {
      assert.deepEqual(
        resolveBreakGlass(
          "breakGlassAdministrator",
          { objectId: "88888888-8888-4888-8888-88888888888A", principalName: "bg-pg@contoso.com" },
          admins,
        ),
        {
          objectId: "88888888-8888-4888-8888-88888888888a",
          principalName: "bg-pg@contoso.com",
          principalType: "User",
        },
      );
      assert.equal(resolveBreakGlass("breakGlassAdministrator", undefined, admins), undefined);
    });
    it("refuses the daily admin group as break-glass, by id or by name", () => {
      assert.throws(
        () =>
          resolveBreakGlass(
            "breakGlassAdministrator",
            { objectId: admins[0].objectId, principalName: "other" },
            admins,
          ),
        /`breakGlassAdministrator` "other" is also listed in `administrators` \("pg-admins"\); a break-glass administrator must be a separate account/,
      );
      assert.throws(
        () =>
          resolveBreakGlass(
            "breakGlassAdministrator",
            { objectId: "88888888-8888-4888-8888-888888888888", principalName: "PG-Admins" },
            admins,
          ),
        /is also listed in `administrators`/,
      );
    });
    it("refuses a bad object id and principal type", () => {
      assert.throws(
        () => resolveBreakGlass("breakGlassAdministrator", { objectId: "bg", principalName: "bg" }, admins),
        /`breakGlassAdministrator\.objectId` "bg" is not allowed/,
      );
      assert.throws(
        () =>
          resolveBreakGlass(
            "breakGlassAdministrator",
            {
              objectId: "88888888-8888-4888-8888-888888888888",
              principalName: "bg",
              principalType: "ServicePrincipal",
            },
            admins,
          ),
        /`breakGlassAdministrator\.principalType` "ServicePrincipal" is not allowed; use "User" or "Group"/,
      );
    });
  });

  describe("ServiceAccount manifests", () => {
    it("annotates the ServiceAccount with the client and tenant ids and the workload identity label", () => {
      assert.equal(
        serviceAccountManifest({
          namespace: "orders",
          serviceAccount: "orders-api",
          clientId: CLIENT,
          tenantId: TENANT,
        }),
        [
          "apiVersion: v1",
          "kind: ServiceAccount",
          "metadata:",
          '  name: "orders-api"',
          '  namespace: "orders"',
          "  labels:",
          '    "azure.workload.identity/use": "true"',
          "  annotations:",
          `    "azure.workload.identity/client-id": "${CLIENT}"`,
          `    "azure.workload.identity/tenant-id": "${TENANT}"`,
          "",
        ].join("\n"),
      );
    });
    it("refuses names Kubernetes would refuse", () => {
      assert.throws(
        () => serviceAccountManifest({ namespace: "Orders", serviceAccount: "a", clientId: CLIENT }),
        /`namespace` "Orders" is not allowed; use a Kubernetes namespace name/,
      );
      assert.throws(
        () => serviceAccountManifest({ namespace: "o", serviceAccount: "a_b", clientId: CLIENT }),
        /`serviceAccount` "a_b" is not allowed/,
      );
      assert.throws(
        () => serviceAccountManifest({ namespace: "o", serviceAccount: "a", clientId: "x" }),
        /`clientId` "x" is not allowed/,
      );
    });
  });
});
