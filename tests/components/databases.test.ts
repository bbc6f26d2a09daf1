import assert from "node:assert/strict";
import {
  bootstrapPlan,
  bootstrapPlanSql,
  bootstrapSqlSteps,
  psqlScriptSteps,
  type BootstrapPrincipal,
} from "../../components/postgres/sql";

const finance: BootstrapPrincipal = {
  role: "Finance Analysts",
  objectId: "6bcfac6e-cd6a-4da9-b0b7-7fd08f9bec07",
  principalType: "group",
  access: "reader",
};
const orders: BootstrapPrincipal = {
  role: "orders-api",
  objectId: "3e9c7f3b-9a3d-4a76-8d84-4cad5c6ebf04",
  principalType: "service",
  access: "writer",
};
const plan = () => ({
  databases: [
    {
      databaseName: "orders",
      schemaName: "app",
      personas: [orders, { ...finance, access: "reader" as const }],
    },
    { databaseName: "billing", schemaName: "ledger", personas: [{ ...finance, access: "writer" as const }] },
  ],
});

describe("bootstrapPlan (several application databases)", function () {
  it("orders the steps per database: roles in the maintenance database, then grants in the database", () => {
    const steps = bootstrapPlan(plan());
    assert.deepEqual(
      steps.map((s) => [s.purpose, s.database, s.forDatabase]),
      [
        ["roles", "postgres", "orders"],
        ["grants", "orders", "orders"],
        ["roles", "postgres", "billing"],
        ["grants", "billing", "billing"],
      ],
    );
  });

  it("gives each database its own access roles and one principal different access in each", () => {
    const steps = bootstrapPlan(plan());
    assert.match(steps[0].sql, /GRANT "orders_app_reader" TO "Finance Analysts";/);
    assert.match(steps[2].sql, /GRANT "billing_ledger_writer" TO "Finance Analysts";/);
    assert.doesNotMatch(steps[2].sql, /orders_app_/);
    assert.match(steps[3].sql, /CREATE SCHEMA IF NOT EXISTS "ledger" AUTHORIZATION "billing_ledger_admin";/);
    assert.match(
      steps[3].sql,
      /GRANT CONNECT ON DATABASE "billing" TO "billing_ledger_admin", "billing_ledger_writer", "billing_ledger_reader";/,
    );
  });

  it("is the single-database steps for each database, unchanged", () => {
    const steps = bootstrapPlan(plan());
    const single = bootstrapSqlSteps({
      databaseName: "billing",
      schemaName: "ledger",
      personas: [{ ...finance, access: "writer" }],
    });
    assert.deepEqual(
      steps.slice(2).map((s) => ({ database: s.database, sql: s.sql })),
      single,
    );
  });

  it("renders as one psql script that splits back into the same steps", () => {
    const script = bootstrapPlanSql(plan());
    assert.match(script, /^-- zero-trust-azure-postgres: .*\n-- Application databases: orders, billing\.\n/);
    assert.deepEqual(
      psqlScriptSteps(script),
      bootstrapPlan(plan()).map((s) => ({ database: s.database, sql: s.sql })),
    );
  });

  it("refuses an empty list, a repeated database and colliding access roles", () => {
    assert.throws(
      () => bootstrapPlan({ databases: [] }),
      /^Error: `databases` is empty; list at least one application database\.$/,
    );
    const p = plan();
    p.databases[1].databaseName = "orders";
    assert.throws(() => bootstrapPlan(p), /`databases\[1\].databaseName` "orders" is listed twice/);
    assert.throws(
      () =>
        bootstrapPlan({
          databases: [
            { databaseName: "a_b", schemaName: "c", personas: [] },
            { databaseName: "a", schemaName: "b_c", personas: [] },
          ],
        }),
      /`databases\[1\]` gives access role "a_b_c_admin", which databases\[0\] already uses; set a distinct `databases\[1\].rolePrefix`/,
    );
  });

  it("refuses one role name used for two different Entra principals", () => {
    const p = plan();
    p.databases[1].personas[0] = {
      ...finance,
      objectId: "7bcfac6e-cd6a-4da9-b0b7-7fd08f9bec07",
      access: "writer",
    };
    assert.throws(
      () => bootstrapPlan(p),
      /`databases\[1\].personas\[0\]` role "Finance Analysts" is a different principal than in databases\[0\].personas\[1\]/,
    );
  });

  it("names the database entry when a field inside it is wrong", () => {
    const p = plan();
    p.databases[1].schemaName = "public";
    assert.throws(() => bootstrapPlan(p), /^Error: `databases\[1\]`: `schemaName` "public" is reserved/);
  });
});
