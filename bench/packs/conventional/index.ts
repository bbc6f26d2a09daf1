// The baseline for the pack benchmarks: three of our rules written the way a TypeScript pack usually
// is (the `pulumi policy new` layout): import the provider SDK and match resources by class with
// validateResourceOfType. run-policy-pack compiles and type-checks this file with ts-node at start-up,
// exactly as `pulumi preview --policy-pack bench/packs/conventional` would.
import * as azure from "@pulumi/azure-native";
import { PolicyPack, validateResourceOfType } from "@pulumi/policy";

const TLS_ORDER = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

new PolicyPack("bench-conventional", {
  policies: [
    {
      name: "postgres-no-public-network-access",
      description: "PostgreSQL flexible servers must not allow public network access.",
      enforcementLevel: "mandatory",
      validateResource: validateResourceOfType(
        azure.dbforpostgresql.Server,
        (server, _args, reportViolation) => {
          // Unset means Enabled (the provider default), unless the server is VNet-integrated.
          const network = server.network;
          if (network?.delegatedSubnetResourceId) return;
          if (network?.publicNetworkAccess !== "Disabled") {
            reportViolation(
              `public network access is ${network?.publicNetworkAccess ?? "unset (Enabled)"}; set network.publicNetworkAccess to "Disabled".`,
            );
          }
        },
      ),
    },
    {
      name: "postgres-tls-min-version",
      description: "PostgreSQL servers must require TLS 1.2 or later.",
      enforcementLevel: "mandatory",
      validateResource: validateResourceOfType(
        azure.dbforpostgresql.Configuration,
        (param, _args, reportViolation) => {
          if (param.configurationName?.toLowerCase() !== "ssl_min_protocol_version") return;
          const value = String(param.value ?? "");
          const at = TLS_ORDER.findIndex((v) => v.toLowerCase() === value.toLowerCase());
          if (at < TLS_ORDER.indexOf("TLSv1.2")) {
            reportViolation(`ssl_min_protocol_version is "${value}"; set it to "TLSv1.2" or "TLSv1.3".`);
          }
        },
      ),
    },
    {
      name: "keyvault-purge-protection",
      description: "Key Vaults holding database keys must have purge protection enabled.",
      enforcementLevel: "mandatory",
      validateResource: validateResourceOfType(azure.keyvault.Vault, (vault, _args, reportViolation) => {
        // Unset means off.
        if (vault.properties?.enablePurgeProtection !== true) {
          reportViolation("purge protection is off; set properties.enablePurgeProtection to true.");
        }
      }),
    },
  ],
});
