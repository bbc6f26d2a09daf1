import * as assert from "node:assert/strict";

import { evaluateResource } from "../../policies/rules";
import { SERVER_ID, SUB, run } from "./fixtures";
import type { Props } from "./fixtures";

const NATIVE = "azure-native:authorization:RoleAssignment";
const CLASSIC = "azure:authorization/assignment:Assignment";
const ID = "postgres-no-privileged-role-assignment";
const role = (guid: string) => `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

const native = (guid: string, scope = SERVER_ID): Props => ({
  principalId: "11111111-1111-4111-8111-111111111111",
  principalType: "Group",
  roleDefinitionId: role(guid),
  scope,
});

describe("postgres-no-privileged-role-assignment", () => {
  it("passes Reader at server scope", () => {
    assert.deepEqual(run(ID, NATIVE, native(READER)), []);
  });

  it("rejects Owner at server scope, naming the role and the scope", () => {
    assert.deepEqual(run(ID, NATIVE, native(OWNER)), [
      `PostgreSQL flexible servers must not grant Owner, Contributor, User Access Administrator or Role Based Access Control Administrator at server scope: roleDefinitionId names role ${OWNER} (Owner) on server "pg-zt". Assign a narrower role such as Reader or Monitoring Reader, or waive with allowedPrivilegedRoles.`,
    ]);
  });

  it("rejects Contributor given as a bare GUID, and as a mandatory violation through evaluateResource", () => {
    const v = evaluateResource({
      type: NATIVE,
      props: { ...native(CONTRIBUTOR), roleDefinitionId: CONTRIBUTOR },
    });
    assert.deepEqual(
      v.map((x) => [x.ruleId, x.level]),
      [[ID, "mandatory"]],
    );
    assert.match(v[0].message, /role b24988ac-6180-42a0-ab88-20f7382dd24c \(Contributor\) on server "pg-zt"/);
  });

  it("ignores Owner on a resource group (not server scope) and an unknown scope", () => {
    assert.deepEqual(run(ID, NATIVE, native(OWNER, `${SUB}/resourceGroups/rg-zt`)), []);
    assert.deepEqual(run(ID, NATIVE, native(OWNER, "04da6b54-80e4-46f7-96ec-b56ff0331ba9")), []);
  });

  it("passes a privileged role the config allows", () => {
    assert.deepEqual(run(ID, NATIVE, native(CONTRIBUTOR), { allowedPrivilegedRoles: ["Contributor"] }), []);
    assert.equal(run(ID, NATIVE, native(OWNER), { allowedPrivilegedRoles: ["Contributor"] }).length, 1);
  });

  it("rejects classic Owner by name and passes classic Reader", () => {
    const classic = (name: string): Props => ({
      principalId: "11111111-1111-4111-8111-111111111111",
      roleDefinitionName: name,
      scope: SERVER_ID,
    });
    assert.match(run(ID, CLASSIC, classic("owner")).join(), /roleDefinitionName is "owner" \(Owner\)/);
    assert.deepEqual(run(ID, CLASSIC, classic("Reader")), []);
    assert.match(
      run(ID, CLASSIC, { scope: SERVER_ID, roleDefinitionId: role(CONTRIBUTOR) }).join(),
      /\(Contributor\)/,
    );
  });
});
