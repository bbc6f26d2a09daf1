import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

import { RULES } from "../../policies/rules";
import type { UnsetSource } from "../../policies/rules/types";

// Every rule says where the value of an unset property comes from (issue "unset means what the API
// says"). The API-spec citations are checked against the ARM template schemas generated from
// azure-rest-api-specs (github.com/Azure/azure-resource-manager-schemas, copied in
// ../shared/reference/azure-arm-types/arm-template-schemas; read 2026-11-30): a citation that says
// "(default X)" must match the schema's `default`, and one that says "(no default" must find none.

const SCHEMAS = path.join(
  __dirname,
  "..",
  "..",
  "..",
  "shared",
  "reference",
  "azure-arm-types",
  "arm-template-schemas",
);
const LOCAL_SCHEMA: [RegExp, string][] = [
  [
    /\/Microsoft\.DBforPostgreSQL\/stable\/2025-08-01\//,
    "postgresql/2025-08-01/Microsoft.DBforPostgreSQL.json",
  ],
  [/\/Microsoft\.KeyVault\/KeyVault\/stable\/2024-11-01\//, "keyvault/2024-11-01/Microsoft.KeyVault.json"],
  [
    /\/Microsoft\.DataProtection\/stable\/2025-01-01\//,
    "dataprotection/2025-01-01/Microsoft.DataProtection.json",
  ],
];

type Schema = { definitions: Record<string, { properties?: Record<string, Record<string, unknown>> }> };
const schemaCache = new Map<string, Schema>();
function schemaFor(ref: string): Schema | undefined {
  const hit = LOCAL_SCHEMA.find(([re]) => re.test(ref));
  if (!hit) return undefined;
  const file = path.join(SCHEMAS, hit[1]);
  if (!schemaCache.has(file)) schemaCache.set(file, JSON.parse(fs.readFileSync(file, "utf8")) as Schema);
  return schemaCache.get(file);
}

/** The schema's declared default for Definition.property: undefined when none (also inside oneOf). */
function declaredDefault(schema: Schema, def: string, prop: string): { found: boolean; value?: unknown } {
  const p = schema.definitions[def]?.properties?.[prop];
  if (!p) return { found: false };
  if ("default" in p) return { found: true, value: p.default };
  const alt = (p.oneOf as Record<string, unknown>[] | undefined)?.find((o) => "default" in o);
  return { found: true, value: alt?.default };
}

/** Each `Definition.property` cited with the "(default X)" or "(no default" claim that follows it. */
export function specClaims(ref: string): { def: string; prop: string; claim: "none" | string | undefined }[] {
  const marks = [...ref.matchAll(/`([A-Z]\w*)\.(\w+)`/g)];
  return marks.map((m, i) => {
    const from = (m.index ?? 0) + m[0].length;
    let claim: string | undefined;
    for (let j = i; j < marks.length && claim === undefined; j++) {
      const start = j === i ? from : (marks[j].index ?? 0) + marks[j][0].length;
      const end = j + 1 < marks.length ? (marks[j + 1].index ?? ref.length) : ref.length;
      const seg = ref.slice(start, end);
      if (/\(no default/.test(seg)) claim = "none";
      else {
        const d = /\(default ([^);]+)/.exec(seg);
        if (d) claim = d[1].trim().replace(/^"|"$/g, "");
      }
    }
    return { def: m[1], prop: m[2], claim };
  });
}

const FORM: Record<UnsetSource["kind"], RegExp> = {
  "api-spec": /^specification\/[\w./-]+\.json `[\w.]+`/,
  learn: /^https:\/\/learn\.microsoft\.com\/[\w/.-]+ \(.+\)$/,
  "provider-docs":
    /^(@pulumi\/azure-native \d+\.\d+\.\d+ types\/input\.js \w+\.\w+ArgsProvideDefaults|https:\/\/(registry\.terraform\.io\/providers\/hashicorp\/azurerm|www\.pulumi\.com\/registry)\/)/,
  "not-set": /treated as|not counted|no Azure property/,
};

describe("every rule's unsetMeans names where the default comes from", () => {
  for (const rule of RULES) {
    it(`${rule.id}: has at least one well-formed unset source`, () => {
      assert.ok(
        Array.isArray(rule.unsetSource) && rule.unsetSource.length > 0,
        `${rule.id} has no unsetSource`,
      );
      for (const src of rule.unsetSource as readonly UnsetSource[]) {
        assert.match(src.ref, FORM[src.kind], `${rule.id}: ${src.kind} source is not in the checkable form`);
      }
    });
    it(`${rule.id}: unsetMeans does not lean on an unnamed "provider default"`, () => {
      assert.doesNotMatch(rule.unsetMeans, /\((the )?provider defaults?\)|, the provider defaults?\b/i);
    });
  }

  it("every API-spec citation with a local schema copy matches its declared default (or absence)", () => {
    let checked = 0;
    for (const rule of RULES) {
      for (const src of (rule.unsetSource as readonly UnsetSource[]).filter((s) => s.kind === "api-spec")) {
        const schema = schemaFor(src.ref);
        if (!schema) continue;
        for (const c of specClaims(src.ref)) {
          const d = declaredDefault(schema, c.def, c.prop);
          assert.ok(d.found, `${rule.id}: ${c.def}.${c.prop} is not in the schema`);
          if (c.claim === "none") {
            assert.equal(d.value, undefined, `${rule.id}: ${c.def}.${c.prop} does declare a default`);
            checked++;
          } else if (c.claim !== undefined) {
            assert.equal(String(d.value), c.claim, `${rule.id}: ${c.def}.${c.prop} default`);
            checked++;
          }
        }
      }
    }
    assert.ok(checked >= 15, `only ${checked} spec claims were checked`);
  });

  it("the claim reader finds each property's claim (a wrong default would fail)", () => {
    assert.deepEqual(
      specClaims(
        "x.json `VaultProperties.enableSoftDelete` (default true) and `VaultProperties.softDeleteRetentionInDays` (default 90)",
      ),
      [
        { def: "VaultProperties", prop: "enableSoftDelete", claim: "true" },
        { def: "VaultProperties", prop: "softDeleteRetentionInDays", claim: "90" },
      ],
    );
    assert.deepEqual(
      specClaims("x.json `AuthConfig.passwordAuth` and `AuthConfig.activeDirectoryAuth` (no default)"),
      [
        { def: "AuthConfig", prop: "passwordAuth", claim: "none" },
        { def: "AuthConfig", prop: "activeDirectoryAuth", claim: "none" },
      ],
    );
    const schema = schemaFor("specification/x/Microsoft.DBforPostgreSQL/stable/2025-08-01/openapi.json");
    assert.ok(schema);
    assert.equal(declaredDefault(schema, "Backup", "backupRetentionDays").value, 7);
    assert.equal(declaredDefault(schema, "Backup", "geoRedundantBackup").value, undefined);
  });
});
