// `requireMfa` on a bootstrap principal becomes the `isMfa` argument of
// pgaadauth_create_principal_with_oid(roleName, objectId, objectType, isAdmin, isMfa).

import * as assert from "node:assert/strict";
import { bootstrapSqlSteps } from "../../components/postgres/sql";

const GROUP = "11111111-1111-4111-8111-111111111111";
const APP = "22222222-2222-4222-8222-222222222222";

describe("bootstrap SQL: MFA per principal", () => {
  const [roles] = bootstrapSqlSteps({
    databaseName: "app",
    schemaName: "app",
    personas: [
      { role: "pg-admins", objectId: GROUP, principalType: "group", access: "admin", requireMfa: true },
      { role: "orders-api", objectId: APP, principalType: "service", access: "writer" },
    ],
  });

  it("passes isMfa true for a principal that requires MFA", () => {
    assert.ok(
      roles.sql.includes(
        `PERFORM pgaadauth_create_principal_with_oid('pg-admins', '${GROUP}', 'group', false, true);`,
      ),
      roles.sql,
    );
  });

  it("passes isMfa false when requireMfa is unset (workload identities have no MFA claim)", () => {
    assert.ok(
      roles.sql.includes(
        `PERFORM pgaadauth_create_principal_with_oid('orders-api', '${APP}', 'service', false, false);`,
      ),
      roles.sql,
    );
  });
});
