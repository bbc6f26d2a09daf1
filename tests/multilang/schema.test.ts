// The package schema other languages' SDKs are generated from, produced by the SDK's own
// analyzer exactly as `pulumi package add` runs it. These tests pin what a Python, Go, C#, Java or
// YAML user sees: the token, each input's type, optionality and enum values, the outputs, the
// azure-native dependency, and a doc string on everything. The committed schema.json must match.

import {
  ANALYZER_TIMEOUT_MS,
  COMPONENT_TOKEN,
  PACKAGE_NAME,
  hostedProvider,
  packageRoot,
  typeOf,
} from "./host";
import type { PackageSchema, SchemaProperty } from "./host";
import { strict as assert } from "node:assert";
import * as fs from "fs";
import * as path from "path";
import { RULES } from "../../policies/rules";
import { getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { ZeroTrustPostgres } from "../../index";

const ROOT = packageRoot();
const AZURE_NATIVE_VERSION = "3.28.0";
const azureRef = (token: string) => `/azure-native/v${AZURE_NATIVE_VERSION}/schema.json#/resources/${token}`;

let schema: PackageSchema;
let formatted: string;

function component() {
  const c = schema.resources[COMPONENT_TOKEN];
  assert.ok(
    c,
    `schema has no resource ${COMPONENT_TOKEN}; resources: ${Object.keys(schema.resources).join(", ")}`,
  );
  return c;
}

function input(name: string): SchemaProperty {
  const p = component().inputProperties[name];
  assert.ok(p, `component input ${name} is missing from the schema`);
  return p;
}

function field(typeName: string, name: string): SchemaProperty {
  const t = schema.types[`${PACKAGE_NAME}:index:${typeName}`];
  assert.ok(t?.properties, `schema type ${typeName} is missing`);
  const p = t.properties[name];
  assert.ok(p, `${typeName}.${name} is missing from the schema`);
  return p;
}

function enumValues(prop: SchemaProperty): (string | number)[] {
  const t = typeOf(schema, prop);
  assert.ok(t.enum, `${JSON.stringify(prop)} is not an enum`);
  return t.enum.map((e) => e.value);
}

/** The properties of every object in the schema: component inputs and outputs, and each type's fields. */
function everyProperty(): { where: string; prop: SchemaProperty }[] {
  const all: { where: string; prop: SchemaProperty }[] = [];
  for (const [token, r] of Object.entries(schema.resources)) {
    for (const [n, p] of Object.entries(r.inputProperties))
      all.push({ where: `${token} input ${n}`, prop: p });
    for (const [n, p] of Object.entries(r.properties)) all.push({ where: `${token} output ${n}`, prop: p });
  }
  for (const [token, t] of Object.entries(schema.types)) {
    for (const [n, p] of Object.entries(t.properties ?? {})) all.push({ where: `${token}.${n}`, prop: p });
  }
  return all;
}

/** First line where two texts differ, for a readable drift message. */
function firstDifference(expected: string, actual: string): string {
  const e = expected.split("\n");
  const a = actual.split("\n");
  for (let i = 0; i < Math.max(e.length, a.length); i++) {
    if (e[i] !== a[i])
      return `line ${i + 1}: expected ${JSON.stringify(e[i])}, committed ${JSON.stringify(a[i])}`;
  }
  return "no line differs";
}

describe("multi-language package schema", function () {
  this.timeout(ANALYZER_TIMEOUT_MS);

  before(async () => {
    ({ schema, formatted } = await hostedProvider());
  });

  it("matches the committed schema.json", () => {
    const committed = fs.readFileSync(path.join(ROOT, "schema.json"), "utf8");
    if (committed !== formatted) {
      throw new Error(
        `schema.json is stale (${firstDifference(formatted, committed)}): run ` +
          "`npm run build && npm run docs:schema`, then `npm run docs:args` for the README",
      );
    }
  });

  it("names the package after package.json and carries its version and description", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      name: string;
      version: string;
      description: string;
    };
    assert.equal(schema.name, PACKAGE_NAME);
    assert.equal(manifest.name, PACKAGE_NAME, "the language host names the package from package.json `name`");
    assert.equal((schema as unknown as { version: string }).version, manifest.version);
    assert.equal((schema as unknown as { description: string }).description, manifest.description);
  });

  it("exposes exactly one component under the token the host requires", () => {
    assert.deepEqual(Object.keys(schema.resources), [COMPONENT_TOKEN]);
    const c = component() as unknown as { isComponent: boolean; description: string };
    assert.equal(c.isComponent, true);
    assert.match(c.description, /zero-trust Azure Database for PostgreSQL flexible server/);
  });

  it("requires only the resource group, tenant, administrators and network", () => {
    assert.deepEqual(component().requiredInputs, [
      "administrators",
      "network",
      "resourceGroupName",
      "tenantId",
    ]);
  });

  it("accepts outputs for resource ids and takes the values it validates as plain", () => {
    const rg = input("resourceGroupName");
    assert.deepEqual([rg.type, rg.optional, rg.plain], ["string", undefined, undefined]);
    assert.equal(input("location").type, "string");
    assert.equal(input("location").plain, undefined, "location accepts an output");
    assert.equal(input("location").optional, true);
    assert.equal(input("tenantId").type, "string");
    assert.equal(input("tenantId").plain, true);
    assert.equal(input("tenantId").optional, undefined);
    assert.equal(input("serverName").plain, true);
    assert.equal(input("storageSizeGb").type, "number");
    assert.equal(input("allowPasswordAuth").type, "boolean");
    assert.deepEqual(input("tags").additionalProperties, { type: "string", plain: true });
    const subnet = field("NetworkArgs", "privateEndpointSubnetResourceId");
    assert.deepEqual([subnet.type, subnet.optional, subnet.plain], ["string", true, undefined]);
    const links = field("NetworkArgs", "linkedVirtualNetworkResourceIds");
    assert.deepEqual([links.type, links.plain, links.items], ["array", true, { type: "string" }]);
    assert.equal(
      field("AksFederationArgs", "issuerUrl").plain,
      undefined,
      "an AKS issuer URL is usually an output",
    );
    assert.equal(field("EncryptionArgs", "keyUri").plain, undefined);
    assert.equal(field("RestoreArgs", "sourceServerResourceId").plain, undefined);
  });

  it("offers every choice as a named enum with its exact values", () => {
    assert.deepEqual(enumValues(input("version")), ["12", "13", "14", "15", "16", "17", "18"]);
    assert.deepEqual(enumValues(input("skuTier")), ["Burstable", "GeneralPurpose", "MemoryOptimized"]);
    assert.deepEqual(enumValues(input("highAvailability")), ["ZoneRedundant", "SameZone", "Disabled"]);
    assert.deepEqual(enumValues(input("storageType")), ["Premium_LRS", "PremiumV2_LRS", "UltraSSD_LRS"]);
    assert.deepEqual(enumValues(input("minimumTlsVersion")), ["TLSv1.2", "TLSv1.3"]);
    assert.deepEqual(enumValues(field("NetworkArgs", "mode")), ["privateEndpoint", "vnetIntegration"]);
    assert.deepEqual(enumValues(field("EncryptionArgs", "keyType")), ["RSA-HSM", "RSA"]);
    assert.deepEqual(enumValues(field("EntraAdministratorArgs", "principalType")), [
      "Group",
      "User",
      "ServicePrincipal",
    ]);
    assert.deepEqual(enumValues(field("PersonaGroupArgs", "access")), ["admin", "writer", "reader"]);
    assert.deepEqual(enumValues(field("WorkloadIdentityArgs", "access")), ["admin", "writer", "reader"]);
    assert.equal(input("version").$ref, `#/types/${PACKAGE_NAME}:index:PostgresVersion`);
    for (const [token, t] of Object.entries(schema.types)) {
      if (!t.enum) continue;
      assert.equal(t.type, "string", `${token} is a string enum`);
      for (const e of t.enum) assert.match(e.name, /^[A-Za-z][A-Za-z0-9_]*$/, `${token} member ${e.name}`);
    }
  });

  it("shapes the nested argument types with their own required fields", () => {
    const shape = (name: string) => schema.types[`${PACKAGE_NAME}:index:${name}`]?.required;
    assert.deepEqual(shape("EntraAdministratorArgs"), ["objectId", "principalName"]);
    assert.deepEqual(shape("PersonaGroupArgs"), ["access", "groupName"]);
    assert.deepEqual(shape("WorkloadIdentityArgs"), ["access", "name"]);
    assert.deepEqual(shape("AksFederationArgs"), ["issuerUrl", "namespace", "serviceAccount"]);
    assert.deepEqual(shape("FirewallRuleArgs"), ["endIpAddress", "name", "startIpAddress"]);
    assert.deepEqual(shape("RestoreArgs"), ["sourceServerResourceId"]);
    assert.deepEqual(shape("MaintenanceWindowArgs"), ["dayOfWeek"]);
    assert.deepEqual(shape("RoleAssignmentArgs"), ["principalId", "roleDefinitionId"]);
    assert.deepEqual(shape("ServerParameterArgs"), ["name", "value"]);
    assert.deepEqual(shape("ApplicationDatabaseArgs"), ["databaseName"]);
    assert.deepEqual(shape("DatabaseGrantArgs"), ["access", "principal"]);
    for (const optionalOnly of ["NetworkArgs", "EncryptionArgs", "MonitoringArgs", "BackupArgs"]) {
      assert.deepEqual(shape(optionalOnly), [], `${optionalOnly} has only optional fields`);
    }
    assert.equal(input("administrators").type, "array");
    assert.equal(
      typeOf(schema, input("administrators")),
      schema.types[`${PACKAGE_NAME}:index:EntraAdministratorArgs`],
    );
    assert.equal(
      typeOf(schema, field("WorkloadIdentityArgs", "aks")),
      schema.types[`${PACKAGE_NAME}:index:AksFederationArgs`],
    );
  });

  it("documents the secure defaults and the rule behind them", () => {
    // [property, its default as the docs state it, the rule behind it]
    const cases: [SchemaProperty, string, string | undefined][] = [
      [input("minimumTlsVersion"), "Defaults to `TLSv1.3`", "postgres-tls-min-version"],
      [input("version"), "Defaults to `17`", "postgres-allowed-versions"],
      [input("allowPasswordAuth"), "Defaults to `false`", "postgres-entra-only-auth"],
      [field("NetworkArgs", "allowPublicAccess"), "Defaults to `false`", "postgres-no-public-network-access"],
      [field("NetworkArgs", "firewallMinimumPrefixLength"), "Defaults to `24`", "firewall-no-open-ranges"],
      [field("BackupArgs", "retentionDays"), "Defaults to `35`", "postgres-backup-retention"],
      [field("BackupArgs", "geoRedundantBackup"), "Defaults to `true`", "postgres-geo-redundant-backup"],
      [field("EncryptionArgs", "keySize"), "Defaults to `3072`", "keyvault-key-strength"],
      [field("MonitoringArgs", "pgauditLog"), "Defaults to `role,ddl,misc`", "postgres-pgaudit-enabled"],
      [field("MonitoringArgs", "logRetentionDays"), "Defaults to `7`", "postgres-log-retention"],
      [input("protect"), "Defaults to `true`", undefined],
      [input("deleteLocks"), "Defaults to `true`", "resource-delete-locks"],
    ];
    for (const [prop, stated, rule] of cases) {
      const doc = prop.description ?? "";
      assert.ok(doc.includes(stated), `expected "${stated}" in: ${doc}`);
      if (rule) assert.ok(doc.includes(`\`${rule}\``), `expected rule \`${rule}\` in: ${doc}`);
    }
  });

  it("cites only rule ids that exist in the policy catalogue", () => {
    const known = new Set<string>(RULES.map((r) => r.id));
    const cited = new Set<string>();
    for (const { where, prop } of everyProperty()) {
      for (const m of (prop.description ?? "").matchAll(
        /(?:Enforced by|[Aa]dvisory rule|Waiver for|rule) `([a-z0-9-]+)`/g,
      )) {
        cited.add(m[1]);
        assert.ok(known.has(m[1]), `${where} cites unknown rule ${m[1]}`);
      }
    }
    assert.ok(cited.size >= 10, `expected the docs to cite the catalogue, found ${[...cited].join(", ")}`);
  });

  it("gives every input, output and nested field a description", () => {
    const missing = everyProperty()
      .filter(({ prop }) => (prop.description ?? "").trim().length === 0)
      .map(({ where }) => where);
    assert.deepEqual(missing, [], "add a doc comment in components/postgres/args.ts or server.ts");
    assert.ok(everyProperty().length > 80);
  });

  it("publishes the outputs apps and other stacks need, with azure-native resource references", () => {
    const c = component();
    assert.deepEqual(Object.keys(c.properties), [
      "serverId",
      "serverName",
      "fqdn",
      "privateEndpointIp",
      "privateDnsZoneId",
      "connection",
      "bootstrapSql",
      "personaGroupIds",
      "ciIdentities",
      "serviceAccountManifests",
      "keyUri",
      "geoBackupKeyUri",
      "serverIdentityId",
      "geoBackupIdentityId",
      "workspaceId",
      "manualRestartStep",
      "replicas",
      "virtualEndpointHosts",
      "administratorPassword",
      "server",
      "database",
      "privateEndpoint",
      "serverIdentity",
      "keyVault",
      "key",
      "geoBackupKeyVault",
      "geoBackupKey",
      "workspace",
    ]);
    assert.deepEqual(c.required, [
      "bootstrapSql",
      "ciIdentities",
      "connection",
      "database",
      "fqdn",
      "keyUri",
      "personaGroupIds",
      "privateDnsZoneId",
      "replicas",
      "server",
      "serverId",
      "serverIdentity",
      "serverIdentityId",
      "serverName",
      "serviceAccountManifests",
      "workspaceId",
    ]);
    assert.equal(c.properties.server.$ref, azureRef("azure-native:dbforpostgresql:Server"));
    assert.equal(c.properties.database.$ref, azureRef("azure-native:dbforpostgresql:Database"));
    assert.equal(c.properties.privateEndpoint.$ref, azureRef("azure-native:network:PrivateEndpoint"));
    assert.equal(c.properties.keyVault.$ref, azureRef("azure-native:keyvault:Vault"));
    assert.equal(c.properties.key.$ref, azureRef("azure-native:keyvault:Key"));
    assert.equal(
      c.properties.serverIdentity.$ref,
      azureRef("azure-native:managedidentity:UserAssignedIdentity"),
    );
    assert.equal(c.properties.workspace.$ref, azureRef("azure-native:operationalinsights:Workspace"));
    const connection = typeOf(schema, c.properties.connection);
    assert.deepEqual(Object.keys(connection.properties ?? {}), [
      "host",
      "port",
      "database",
      "sslmode",
      "tokenScope",
      "workloads",
    ]);
    assert.equal(connection.properties?.port.type, "number");
    assert.deepEqual(Object.keys(typeOf(schema, connection.properties?.workloads).properties ?? {}), [
      "name",
      "clientId",
      "role",
      "access",
    ]);
    for (const [n, p] of Object.entries(c.properties))
      assert.notEqual(p.plain, true, `output ${n} is never plain`);
  });

  it("depends on azure-native 3.28.0: the lockfile's version and the floor of the peer range", () => {
    const deps = (schema as unknown as { dependencies: { name: string; version: string }[] }).dependencies;
    assert.deepEqual(deps, [{ name: "azure-native", version: AZURE_NATIVE_VERSION }]);
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      devDependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
    };
    // The SDKs generated from this schema ask for this version; a user's newer 3.x satisfies the peer.
    assert.equal(manifest.devDependencies["@pulumi/azure-native"], AZURE_NATIVE_VERSION);
    assert.equal(manifest.peerDependencies["@pulumi/azure-native"], `^${AZURE_NATIVE_VERSION}`);
    const installed = JSON.parse(
      fs.readFileSync(path.join(ROOT, "node_modules/@pulumi/azure-native/package.json"), "utf8"),
    ) as { version: string };
    assert.equal(installed.version, AZURE_NATIVE_VERSION);
  });

  it("is hosted as a Node.js source-based plugin", () => {
    const manifest = fs.readFileSync(path.join(ROOT, "PulumiPlugin.yaml"), "utf8");
    assert.match(manifest, /^runtime: nodejs$/m);
  });

  it("exports exactly one component from the entry point the language host loads", async () => {
    // run-plugin requires the package's entry point and hosts every ComponentResource it exports,
    // naming the provider from package.json `name`; the analyzer reads `main` with .js → .ts.
    const entry = (await import("../../index")) as Record<string, unknown>;
    assert.deepEqual(getPulumiComponents(entry), [ZeroTrustPostgres]);
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { main: string };
    const source = path.join(ROOT, manifest.main.replace(/\.js$/, ".ts"));
    assert.ok(
      fs.existsSync(source) || fs.existsSync(path.join(ROOT, "index.ts")),
      `neither ${source} nor index.ts exists for the analyzer`,
    );
  });
});
