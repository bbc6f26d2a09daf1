// The `--plan` file of `zt-postgres db apply|verify`: what the component's `bootstrapSql` output says
// the database side should be.
//
// Accepted documents (all JSON):
// - `pulumi stack output bootstrapSql --json`: a JSON string, the psql script of bootstrapSql();
// - a structured plan: an object with `steps: [{database, sql}]` (or a bare array of steps);
// - a `zt-postgres preview --json` document: its `outputs.bootstrapSql` is either of the above.
// The steps run in order, each in its database. What verify checks (personas, their access roles and
// schemas) is read back from the steps' SQL, which bootstrapSqlSteps() writes in a fixed form; a test
// pins that the two stay in step.

import * as fs from "node:fs";

import { ACCESS_LEVELS, psqlScriptSteps, type ScriptStep } from "../../components/postgres/sql";
import { InputError } from "../audit/errors";

export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** A persona group or workload identity of the plan. */
export interface PlanPrincipal {
  role: string;
  objectId?: string;
  principalType?: string;
  /** Created with `isMfa` true: the server must refuse its tokens without the `mfa` claim. */
  requireMfa?: boolean;
  /** The access role it is granted (e.g. `app_app_writer`). */
  accessRole: string;
}

/** One application database of the plan, with its schema and access roles. */
export interface PlanDatabase {
  database: string;
  schema: string;
  roles: Record<AccessLevel, string>;
}

/** A plan: the steps to run, and the state they establish. */
export interface Plan {
  steps: ScriptStep[];
  databases: PlanDatabase[];
  principals: PlanPrincipal[];
}

const IDENT = String.raw`"((?:[^"]|"")+)"`;
const LITERAL = String.raw`'((?:[^']|'')*)'`;
const unquoteIdent = (s: string) => s.replace(/""/g, '"');
const unquoteLiteral = (s: string) => s.replace(/''/g, "'");

/** Reads the state a list of bootstrap steps establishes from their SQL. */
export function planFromSteps(steps: ScriptStep[]): Plan {
  const databases: PlanDatabase[] = [];
  const principals = new Map<string, PlanPrincipal>();
  const grants: { group: string; member: string }[] = [];
  const create = new RegExp(
    String.raw`pgaadauth_create_principal_with_oid\(${LITERAL}, ${LITERAL}, ${LITERAL}, (?:true|false), (true|false)\)`,
    "g",
  );
  const connect = new RegExp(
    String.raw`^GRANT CONNECT ON DATABASE ${IDENT} TO ${IDENT}, ${IDENT}, ${IDENT};$`,
    "m",
  );
  const schema = new RegExp(String.raw`^CREATE SCHEMA IF NOT EXISTS ${IDENT} AUTHORIZATION ${IDENT};$`, "m");
  const grant = new RegExp(String.raw`^GRANT ${IDENT} TO ${IDENT};$`, "gm");
  for (const step of steps) {
    for (const m of step.sql.matchAll(create)) {
      const role = unquoteLiteral(m[1]);
      principals.set(role, {
        role,
        objectId: unquoteLiteral(m[2]),
        principalType: unquoteLiteral(m[3]),
        requireMfa: m[4] === "true",
        accessRole: "",
      });
    }
    for (const m of step.sql.matchAll(grant)) {
      grants.push({ group: unquoteIdent(m[1]), member: unquoteIdent(m[2]) });
    }
    const c = connect.exec(step.sql);
    const s = schema.exec(step.sql);
    if (c && s) {
      databases.push({
        database: unquoteIdent(c[1]),
        schema: unquoteIdent(s[1]),
        roles: { admin: unquoteIdent(c[2]), writer: unquoteIdent(c[3]), reader: unquoteIdent(c[4]) },
      });
    }
  }
  const accessRoles = new Set(databases.flatMap((d) => Object.values(d.roles)));
  for (const g of grants) {
    if (!accessRoles.has(g.group)) continue;
    const p = principals.get(g.member) ?? { role: g.member, accessRole: "" };
    p.accessRole = g.group;
    principals.set(g.member, p);
  }
  return { steps, databases, principals: [...principals.values()].filter((p) => p.accessRole !== "") };
}

function stepsOf(value: unknown, where: string, file: string): ScriptStep[] {
  if (typeof value === "string") {
    if (value === "[secret]") {
      throw new InputError(
        "bad-config",
        `--plan ${file}: ${where} is "[secret]"; write the plan with \`pulumi stack output bootstrapSql --json --show-secrets\``,
      );
    }
    const steps = psqlScriptSteps(value);
    if (steps.length === 0) {
      throw new InputError(
        "bad-config",
        `--plan ${file}: ${where} has no \\connect "<database>" line; give the component's bootstrapSql output`,
      );
    }
    return steps;
  }
  const list = Array.isArray(value)
    ? value
    : value !== null && typeof value === "object" && "steps" in value
      ? (value as { steps: unknown }).steps
      : undefined;
  if (!Array.isArray(list) || list.length === 0) {
    throw new InputError(
      "bad-config",
      `--plan ${file}: ${where} must be the bootstrap script (a JSON string) or an object with a non-empty "steps" array`,
    );
  }
  return list.map((s, i) => {
    const step = s as Partial<ScriptStep> | null;
    if (
      step === null ||
      typeof step !== "object" ||
      typeof step.database !== "string" ||
      step.database === "" ||
      typeof step.sql !== "string"
    ) {
      throw new InputError(
        "bad-config",
        `--plan ${file}: ${where}.steps[${i}] must be an object with a "database" name and an "sql" string`,
      );
    }
    return { database: step.database, sql: step.sql };
  });
}

/** Parses a plan document (see the file comment). */
export function parsePlan(text: string, file: string): Plan {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    throw new InputError("not-json", `--plan ${file}: is not JSON (${(err as Error).message})`);
  }
  let where = "the plan";
  if (value !== null && typeof value === "object" && !Array.isArray(value) && "outputs" in value) {
    const outputs = (value as { outputs: unknown }).outputs;
    const sql =
      outputs !== null && typeof outputs === "object"
        ? (outputs as Record<string, unknown>).bootstrapSql
        : undefined;
    if (sql === undefined) {
      throw new InputError(
        "bad-config",
        `--plan ${file}: the preview document's "outputs" has no "bootstrapSql"; preview a program that exports it`,
      );
    }
    value = sql;
    where = "outputs.bootstrapSql";
  }
  const plan = planFromSteps(stepsOf(value, where, file));
  if (plan.databases.length === 0) {
    throw new InputError(
      "bad-config",
      `--plan ${file}: ${where} grants no database to access roles; give the component's bootstrapSql output`,
    );
  }
  return plan;
}

/** Reads and parses `--plan <file>`. */
export function readPlan(file: string): Plan {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      code === "ENOENT" ? "missing" : "unreadable",
      `--plan ${file}: ${code === "ENOENT" ? "no such file" : `cannot be read (${code})`}`,
    );
  }
  if (text.trim() === "") throw new InputError("empty", `--plan ${file}: is empty`);
  return parsePlan(text, file);
}
