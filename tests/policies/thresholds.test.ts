import * as assert from "node:assert/strict";

import {
  PGAUDIT_REQUIRED_CLASSES,
  missingPgauditClasses,
  pgauditAzureRefusal,
  pgauditEffectiveClasses,
  pgauditLogProblem,
} from "../../policies/rules";

const effective = (v: string): string[] | string => {
  const e = pgauditEffectiveClasses(v);
  return e.ok ? [...e.classes].sort() : `${e.reason} ${e.token}`;
};

describe("pgaudit effective classes (as pgaudit computes them)", () => {
  const table: [string, string[] | string][] = [
    ["role,ddl,misc", ["ddl", "misc", "role"]],
    ["ALL", ["ddl", "function", "misc", "misc_set", "read", "role", "write"]],
    ["all,-read", ["ddl", "function", "misc", "misc_set", "role", "write"]],
    ["all,-read,-write,-function,-role,-ddl,-misc", ["misc_set"]],
    ["-all", []],
    ["role,-role", []],
    ["-role,role", ["role"]],
    ["none", []],
    ["none,role", ["role"]],
    ["role,-none", ["role"]],
    ["", []],
    [" Role , DDL ", ["ddl", "role"]],
    ["role,select", "has an unknown class select"],
    ["role,,ddl", "has an empty class "],
  ];
  for (const [value, expected] of table) {
    it(`computes ${JSON.stringify(value)} as ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(effective(value), expected);
    });
  }

  it("requires role and ddl", () => {
    assert.deepEqual(PGAUDIT_REQUIRED_CLASSES, ["role", "ddl"]);
    assert.deepEqual(missingPgauditClasses("read"), ["role", "ddl"]);
    assert.deepEqual(missingPgauditClasses("all,-ddl"), ["ddl"]);
    assert.deepEqual(missingPgauditClasses("all"), []);
  });

  it("says what a value audits and what it misses", () => {
    assert.equal(pgauditLogProblem("role,ddl"), undefined);
    assert.equal(pgauditLogProblem("-all"), "turns auditing off: it audits nothing, without role and ddl");
    assert.equal(pgauditLogProblem("read"), "audits read, without role and ddl");
    assert.equal(
      pgauditLogProblem("role,bogus"),
      'has an unknown class "bogus", so pgaudit refuses the value',
    );
  });

  it("knows which values Azure refuses: subtraction and classes outside Azure's list", () => {
    assert.equal(pgauditAzureRefusal("role,ddl,misc"), undefined);
    assert.equal(pgauditAzureRefusal("none"), undefined);
    assert.match(
      pgauditAzureRefusal("all,-read") ?? "",
      /uses "-read": Azure does not accept class subtraction/,
    );
    assert.match(
      pgauditAzureRefusal("role,misc_set") ?? "",
      /has class "misc_set", which Azure does not accept/,
    );
  });
});
