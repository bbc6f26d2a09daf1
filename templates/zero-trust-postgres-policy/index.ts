// A policy pack of your own with the zero-trust PostgreSQL rules beside your policies.
// `npm install && npm run build`, then `pulumi preview --policy-pack <this folder>`;
// `pulumi policy publish <org>` publishes it (it runs `npm pack`, whose `prepack` compiles).
import { PolicyPack, validateStackResourcesOfType } from "@pulumi/policy";
import { Server } from "@pulumi/azure-native/dbforpostgresql/server";
import { zeroTrustPostgresPolicies } from "zero-trust-azure-postgres/policies";

const MAX_SERVERS = 2;

new PolicyPack("my-org-policies", {
  policies: [
    // Every zero-trust rule, made mandatory, with a stricter TLS floor than the default.
    ...zeroTrustPostgresPolicies({
      all: "mandatory",
      "postgres-tls-min-version": { minimumVersion: "TLSv1.3" },
      "postgres-ha-zone-redundant": "advisory",
    }),
    // Your own typed stack policy: it sees every flexible server of the stack.
    {
      name: "my-org-postgres-server-count",
      description: `A stack holds at most ${MAX_SERVERS} PostgreSQL flexible servers.`,
      enforcementLevel: "mandatory",
      validateStack: validateStackResourcesOfType(Server, (servers, _args, reportViolation) => {
        if (servers.length > MAX_SERVERS) {
          reportViolation(
            `The stack has ${servers.length} PostgreSQL flexible servers; the limit is ${MAX_SERVERS}.`,
          );
        }
      }),
    },
  ],
});
