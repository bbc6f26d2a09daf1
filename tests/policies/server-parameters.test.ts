import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

import {
  POSTGRES_MAJOR_VERSIONS,
  SERVER_PARAMETERS,
  azureDefault,
  isStaticParameter,
  parameterOn,
} from "../../policies/facts/server-parameters";

const SNAPSHOTS = path.join(
  __dirname,
  "..",
  "..",
  "..",
  "shared",
  "reference",
  "microsoft-learn",
  "azure-databases-docs",
  "articles",
  "postgresql",
  "server-parameters",
  "includes",
);

/** One parameter's table rows from a Microsoft Learn customized-options snapshot. */
function snapshotRow(version: string, name: string): Record<string, string> | undefined {
  const text = fs.readFileSync(path.join(SNAPSHOTS, `param-${version}-customized-options.md`), "utf8");
  const section = text.split("\n### ").find((s) => s.split("\n")[0].trim() === name);
  if (!section) return undefined;
  const rows: Record<string, string> = {};
  for (const m of section.matchAll(/^\| (Default value|Allowed values|Parameter type) \| (.*?) \|$/gm))
    rows[m[1]] = m[2].replace(/`/g, "").trim();
  return rows;
}

describe("Azure server parameter facts", () => {
  it("lists the seven major versions Azure offers", () => {
    assert.deepEqual([...POSTGRES_MAJOR_VERSIONS], ["12", "13", "14", "15", "16", "17", "18"]);
  });

  it("has no connection_throttle.enable on PostgreSQL 18, and has it (off) on 12-17", () => {
    assert.equal(parameterOn("connection_throttle.enable", "18"), undefined);
    for (const v of ["12", "13", "14", "15", "16", "17"] as const)
      assert.equal(azureDefault("connection_throttle.enable", v), "off");
  });

  it("keeps server logs 3 days and logs connections, disconnections and checkpoints by default on every version", () => {
    for (const v of POSTGRES_MAJOR_VERSIONS) {
      assert.equal(azureDefault("logfiles.retention_days", v), "3", v);
      assert.equal(parameterOn("logfiles.retention_days", v)?.allowed, "1-7", v);
      for (const name of ["log_connections", "log_disconnections", "log_checkpoints"])
        assert.equal(azureDefault(name, v), "on", `${name} ${v}`);
    }
  });

  it("does not preload pg_cron by default on PostgreSQL 17 only", () => {
    for (const v of POSTGRES_MAJOR_VERSIONS)
      assert.equal(
        azureDefault("shared_preload_libraries", v),
        v === "17" ? "pg_stat_statements" : "pg_cron,pg_stat_statements",
        v,
      );
  });

  it("marks shared_preload_libraries static and the other listed parameters dynamic", () => {
    for (const p of SERVER_PARAMETERS)
      for (const v of POSTGRES_MAJOR_VERSIONS)
        if (parameterOn(p.name, v))
          assert.equal(isStaticParameter(p.name, v), p.name === "shared_preload_libraries", `${p.name} ${v}`);
  });

  it("keeps pgaudit.log at none by default, allowing no misc_set", () => {
    for (const v of POSTGRES_MAJOR_VERSIONS) {
      assert.equal(azureDefault("pgaudit.log", v), "none");
      assert.equal(parameterOn("pgaudit.log", v)?.allowed, "none,read,write,function,role,ddl,misc,all");
    }
  });

  it("agrees with the Microsoft Learn snapshots of the customized-options pages (15-18)", () => {
    for (const v of ["15", "16", "17", "18"] as const) {
      for (const name of ["pgaudit.log", "connection_throttle.enable"]) {
        const row = snapshotRow(v, name);
        const fact = parameterOn(name, v);
        if (row === undefined) {
          assert.equal(fact, undefined, `${name} on ${v} is not in the snapshot`);
          continue;
        }
        assert.ok(fact, `${name} on ${v}`);
        assert.equal(fact.default, row["Default value"], `${name} ${v} default`);
        assert.equal(fact.allowed, row["Allowed values"], `${name} ${v} allowed`);
        assert.equal(fact.kind, row["Parameter type"], `${name} ${v} kind`);
      }
    }
  });

  it("cites a source with the date read for every parameter", () => {
    for (const p of SERVER_PARAMETERS) {
      assert.ok(p.sources.length > 0, p.name);
      for (const s of p.sources) {
        assert.match(s.url, /^https:\/\/(learn\.microsoft\.com|github\.com\/MicrosoftDocs)\//, p.name);
        assert.equal(s.read, "2026-11-30");
      }
    }
  });
});
