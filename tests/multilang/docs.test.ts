// What other-language users read, checked against the committed schema.json: the
// README's generated argument reference, the Pulumi YAML example, and the Python snippet in
// docs/multi-language.md. schema.test.ts checks that schema.json itself is current.

import { strict as assert } from "node:assert";
import * as fs from "fs";
import * as path from "path";
import { load } from "js-yaml";
import {
  ARGS_DOC,
  COMPONENT_TOKEN,
  formatArgsReference,
  inputTypes,
  readSchema,
  renderArgsReference,
  type PackageSchema,
  type SchemaProperty,
} from "../../scripts/gen-args-doc";
import { PACKAGE_NAME, packageRoot } from "../../scripts/gen-schema";

const ROOT = packageRoot();
const schema: PackageSchema = readSchema(ROOT);
const component = schema.resources[COMPONENT_TOKEN];
const typeByName = (name: string) => schema.types[`${PACKAGE_NAME}:index:${name}`];
const localType = (p: SchemaProperty) => {
  const prefix = `#/types/${PACKAGE_NAME}:index:`;
  return p.$ref?.startsWith(prefix) ? typeByName(p.$ref.slice(prefix.length)) : undefined;
};

describe("docs/arguments.md, the argument reference (generated from schema.json and the binding)", function () {
  this.timeout(60_000);

  it("is up to date", async () => {
    const committed = fs.readFileSync(path.join(ROOT, ARGS_DOC), "utf8");
    if (committed !== (await formatArgsReference(schema, ROOT))) {
      throw new Error("docs/arguments.md is stale: run `npm run build && npm run docs:args`");
    }
  });

  it("says which rules enforce an argument, from the binding", () => {
    const text = renderArgsReference(schema);
    const row = (section: string, prop: string) =>
      text
        .split(/^### /m)
        .find((x) => x.startsWith(`${section}\n`))
        ?.split("\n")
        .find((l) => l.startsWith(`| \`${prop}\` |`)) ?? "";
    assert.match(
      row("MonitoringArgs", "pgauditLog"),
      /\| \[`postgres-pgaudit-enabled`\]\(rules\.md#postgres-pgaudit-enabled\) \|$/,
    );
    assert.match(
      row("ZeroTrustPostgres", "administrators"),
      /\[`postgres-entra-admin`\]\(rules\.md#postgres-entra-admin\) \|$/,
    );
    assert.match(row("FirewallRuleArgs", "name"), /\|\s*\|$/);
    assert.match(row("NetworkArgs", "firewallRules"), /\[`firewall-no-open-ranges`\]/);
  });

  it("has a row for every input of the component and of each nested type, with its default", () => {
    const text = renderArgsReference(schema);
    const sections = text.split(/^### /m);
    const section = (name: string) => {
      const s = sections.find((x) => x.startsWith(`${name}\n`));
      assert.ok(s, `no section for ${name}`);
      return s;
    };
    const check = (name: string, props: Record<string, SchemaProperty>, required: string[]) => {
      const s = section(name);
      for (const [prop, def] of Object.entries(props)) {
        const row = s.split("\n").find((l) => l.startsWith(`| \`${prop}\` |`));
        assert.ok(row, `${name}.${prop} has no row`);
        assert.ok(
          row.includes(` | ${required.includes(prop) ? "yes" : "no"} | `),
          `${name}.${prop} optionality`,
        );
        const firstSentence = (def.description ?? "").split(". ")[0];
        assert.ok(row.includes(firstSentence), `${name}.${prop} carries its description`);
        const t = localType(def.items ?? def);
        for (const e of t?.enum ?? [])
          assert.ok(row.includes(`\`"${e.value}"\``), `${name}.${prop} lists ${e.value}`);
      }
    };
    check("ZeroTrustPostgres", component.inputProperties, component.requiredInputs);
    const { objects } = inputTypes(schema);
    assert.deepEqual([...objects].sort(), [
      "AksFederationArgs",
      "ApplicationDatabaseArgs",
      "AzureDevOpsFederationArgs",
      "BackupArgs",
      "BreakGlassAdministratorArgs",
      "CiIdentityArgs",
      "DatabaseGrantArgs",
      "EncryptionArgs",
      "EntraAdministratorArgs",
      "EventHubDestinationArgs",
      "FederationArgs",
      "FirewallRuleArgs",
      "GithubFederationArgs",
      "LongTermBackupArgs",
      "MaintenanceWindowArgs",
      "MonitoringArgs",
      "NetworkArgs",
      "OidcFederationArgs",
      "PersonaGroupArgs",
      "PersonaPimArgs",
      "ReplicaArgs",
      "RestoreArgs",
      "RoleAssignmentArgs",
      "ServerParameterArgs",
      "VirtualEndpointArgs",
      "WorkloadIdentityArgs",
    ]);
    for (const name of objects)
      check(name, typeByName(name).properties ?? {}, typeByName(name).required ?? []);
    assert.match(section("ZeroTrustPostgres"), /\| `resourceGroupName` \| `Input<string>` \| yes \|/);
    assert.match(section("ZeroTrustPostgres"), /\| `tenantId` \| `string` \| yes \|/);
    assert.match(
      section("NetworkArgs"),
      /\| `linkedVirtualNetworkResourceIds` \| `Input<string>\[\]` \| no \|/,
    );
    assert.match(
      section("ZeroTrustPostgres"),
      /\| `personas` \| \[`PersonaGroupArgs\[\]`\]\(#personagroupargs\) \|/,
    );
    assert.match(section("ZeroTrustPostgres"), /Defaults to `TLSv1\.3`/);
  });
});

interface YamlProgram {
  name: string;
  runtime: string;
  packages?: Record<string, string>;
  config?: Record<string, unknown>;
  resources: Record<string, { type: string; properties?: Record<string, unknown> }>;
  outputs?: Record<string, string>;
}

describe("examples/yaml: the component from Pulumi YAML", () => {
  const file = path.join(ROOT, "examples", "yaml", "Pulumi.yaml");
  const program = load(fs.readFileSync(file, "utf8")) as YamlProgram;
  const configKeys = new Set(Object.keys(program.config ?? {}));
  const resourceNames = new Set(Object.keys(program.resources));

  /** Validates a YAML value against a schema property; returns the problems found. */
  function validate(where: string, value: unknown, prop: SchemaProperty): string[] {
    if (typeof value === "string" && value.includes("${")) {
      // `${x}` is a config value (known when the program runs) or `${resource.output}` (an output).
      const refs = [...value.matchAll(/\$\{([^}.[]+)/g)].map((m) => m[1]);
      const problems = refs
        .filter((r) => !configKeys.has(r) && !resourceNames.has(r))
        .map((r) => `${where}: \${${r}} is neither config nor a resource`);
      if (prop.plain) {
        problems.push(
          ...refs
            .filter((r) => resourceNames.has(r))
            .map((r) => `${where} is plain, so it cannot take the output of resource ${r}`),
        );
      }
      if (prop.type && prop.type !== "string" && !problems.length && refs.every((r) => configKeys.has(r))) {
        const t = (program.config?.[refs[0]] as { type?: string } | undefined)?.type;
        if (t !== prop.type && !(t === "integer" && prop.type === "number")) {
          problems.push(`${where}: config ${refs[0]} is ${t}, the schema wants ${prop.type}`);
        }
      }
      return problems;
    }
    const t = localType(prop);
    if (t?.enum) {
      const values = t.enum.map((e) => e.value);
      return values.includes(value as string)
        ? []
        : [`${where}: ${JSON.stringify(value)} is not one of ${values.join(", ")}`];
    }
    if (t?.properties) {
      if (typeof value !== "object" || value === null || Array.isArray(value))
        return [`${where}: expected an object`];
      return validateObject(where, value as Record<string, unknown>, t.properties, t.required ?? []);
    }
    if (prop.type === "array") {
      if (!Array.isArray(value)) return [`${where}: expected a list`];
      return value.flatMap((v, i) => validate(`${where}[${i}]`, v, prop.items ?? {}));
    }
    if (prop.type === "object") {
      if (typeof value !== "object" || value === null) return [`${where}: expected a map`];
      return Object.entries(value).flatMap(([k, v]) =>
        validate(`${where}.${k}`, v, prop.additionalProperties ?? {}),
      );
    }
    return typeof value === prop.type ? [] : [`${where}: ${JSON.stringify(value)} is not a ${prop.type}`];
  }

  function validateObject(
    where: string,
    value: Record<string, unknown>,
    props: Record<string, SchemaProperty>,
    required: string[],
  ): string[] {
    const problems = Object.keys(value)
      .filter((k) => !props[k])
      .map((k) => `${where}.${k} is not in the schema`);
    problems.push(...required.filter((k) => value[k] === undefined).map((k) => `${where}.${k} is required`));
    for (const [k, v] of Object.entries(value))
      if (props[k]) problems.push(...validate(`${where}.${k}`, v, props[k]));
    return problems;
  }

  it("references this package through a packages: entry that resolves to the repository", () => {
    assert.equal(program.runtime, "yaml");
    const source = program.packages?.[PACKAGE_NAME];
    assert.ok(source, `packages: has no ${PACKAGE_NAME} entry`);
    const dir = path.resolve(path.dirname(file), source);
    assert.equal(dir, ROOT);
    assert.match(fs.readFileSync(path.join(dir, "PulumiPlugin.yaml"), "utf8"), /^runtime: nodejs$/m);
  });

  it("declares the component with properties the schema accepts", () => {
    const components = Object.entries(program.resources).filter(([, r]) => r.type === COMPONENT_TOKEN);
    assert.equal(components.length, 1, `one resource of type ${COMPONENT_TOKEN}`);
    const [name, resource] = components[0];
    const problems = validateObject(
      name,
      resource.properties ?? {},
      component.inputProperties,
      component.requiredInputs,
    );
    assert.deepEqual(problems, []);
    const props = resource.properties ?? {};
    assert.ok(Object.keys(props).length >= 15, "the example shows most arguments, not the minimum");
    assert.equal(props.version, "17", "enum values of PostgresVersion are strings: quote them in YAML");
  });

  it("catches what the schema would refuse", () => {
    const [name, resource] =
      Object.entries(program.resources).find(([, r]) => r.type === COMPONENT_TOKEN) ?? [];
    assert.ok(name && resource);
    const broken = {
      ...resource.properties,
      version: 17,
      tenantId: "${resourceGroup.id}",
      network: { mode: "public", privateEndpointSubnetResourceId: "${endpointSubnet.id}" },
      storageSize: 128,
    };
    delete (broken as Record<string, unknown>).administrators;
    const problems = validateObject(name, broken, component.inputProperties, component.requiredInputs);
    assert.deepEqual(problems.sort(), [
      `${name}.administrators is required`,
      `${name}.network.mode: "public" is not one of privateEndpoint, vnetIntegration`,
      `${name}.storageSize is not in the schema`,
      `${name}.tenantId is plain, so it cannot take the output of resource resourceGroup`,
      `${name}.version: 17 is not one of 12, 13, 14, 15, 16, 17, 18`,
    ]);
  });

  it("exports outputs the component declares", () => {
    const outputs = Object.values(program.outputs ?? {});
    assert.ok(outputs.length > 0);
    for (const o of outputs) {
      const m = /^\$\{([^.}]+)\.([^.}[]+)/.exec(o);
      assert.ok(m, `${o} is an interpolation`);
      if (program.resources[m[1]]?.type === COMPONENT_TOKEN) {
        assert.ok(component.properties[m[2]], `${o}: ${m[2]} is not an output of the component`);
      }
    }
  });
});

describe("docs/multi-language.md", () => {
  const doc = fs.readFileSync(path.join(ROOT, "docs", "multi-language.md"), "utf8");

  it("shows pulumi package add for a Git tag and a local path", () => {
    assert.match(doc, /pulumi package add github\.com\/[^ ]+@v\d+\.\d+\.\d+/);
    assert.match(doc, /pulumi package add \.\.?\//);
    assert.ok(doc.includes(COMPONENT_TOKEN));
  });

  it("shows a YAML snippet that parses and declares the component's required inputs", () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(yaml, "a YAML snippet");
    const snippet = load(yaml) as YamlProgram;
    assert.ok(snippet.packages?.[PACKAGE_NAME], `packages: has a ${PACKAGE_NAME} entry`);
    const resource = Object.values(snippet.resources).find((r) => r.type === COMPONENT_TOKEN);
    assert.ok(resource?.properties, `a resource of type ${COMPONENT_TOKEN}`);
    for (const k of Object.keys(resource.properties))
      assert.ok(component.inputProperties[k], `${k} is an input`);
    for (const k of component.requiredInputs) assert.ok(k in resource.properties, `${k} is given`);
    const network = resource.properties.network as Record<string, unknown>;
    const networkFields = typeByName("NetworkArgs").properties ?? {};
    for (const k of Object.keys(network)) assert.ok(networkFields[k], `network.${k} is a NetworkArgs field`);
  });

  it("uses only argument names the generated Python SDK has", () => {
    const python = /```python\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(python, "a Python snippet");
    const call = python.slice(python.indexOf("zt.ZeroTrustPostgres("));
    const block = call.slice(0, call.indexOf("\n)\n"));
    const camel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    const known = new Set([
      ...Object.keys(component.inputProperties),
      ...Object.values(schema.types).flatMap((t) => Object.keys(t.properties ?? {})),
    ]);
    const keywords = [...block.matchAll(/^\s+([a-z_]+)=/gm)].map((m) => m[1]);
    const keys = [...block.matchAll(/"([a-z_]+)":/g)].map((m) => m[1]);
    assert.ok(keywords.length >= 5 && keys.length >= 5);
    for (const k of keywords)
      assert.ok(component.inputProperties[camel(k)], `${k}= is not a component input`);
    for (const k of keys) assert.ok(known.has(camel(k)), `"${k}" is not a field of any argument type`);
    for (const required of component.requiredInputs) {
      assert.ok(keywords.map(camel).includes(required), `the snippet passes the required ${required}`);
    }
  });
});
