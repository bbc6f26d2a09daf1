// `zt-postgres db apply`: runs the plan's steps in order, each in its database, as the signed-in
// administrator. The steps are idempotent by construction (components/postgres/sql.ts), so apply can
// run again after a persona is added. Each step is sent as one simple-protocol query, so its own
// BEGIN/COMMIT make it all-or-nothing; a failing step stops the run and later steps do not run.

import { describe } from "./connection";
import type { Plan } from "./plan";
import type { Sessions } from "./session";

/** What happened to one step. */
export interface StepResult {
  index: number;
  database: string;
  status: "applied" | "failed" | "not-run";
  /** Server notices (e.g. a WARNING from a guard) or the error, without secrets. */
  messages: string[];
}

export interface ApplyResult {
  target: string;
  ok: boolean;
  steps: StepResult[];
}

export async function runApply(plan: Plan, sessions: Sessions): Promise<ApplyResult> {
  const results: StepResult[] = plan.steps.map((s, index) => ({
    index,
    database: s.database,
    status: "not-run",
    messages: [],
  }));
  let ok = true;
  for (const [i, step] of plan.steps.entries()) {
    const client = await sessions.get(step.database);
    const notices: string[] = [];
    const onNotice = (n: { severity?: string; message?: string }) => {
      if (n.severity === "WARNING") notices.push(sessions.clean(`WARNING: ${n.message ?? ""}`));
    };
    client.on("notice", onNotice);
    try {
      await client.query(step.sql);
      results[i] = { ...results[i], status: "applied", messages: notices };
    } catch (err) {
      const e = err as { code?: string; message?: string };
      // A failed transaction block must be closed before the session is reused.
      await client.query("ROLLBACK").catch(() => undefined);
      results[i] = {
        ...results[i],
        status: "failed",
        messages: [
          ...notices,
          sessions.clean(`${e.message ?? String(err)}${e.code ? ` (SQLSTATE ${e.code})` : ""}`),
        ],
      };
      ok = false;
      break;
    } finally {
      client.removeListener("notice", onNotice);
    }
  }
  return { target: describe(sessions.connection), ok, steps: results };
}

export function formatApplyText(r: ApplyResult): string {
  const lines = [`zt-postgres db apply: ${r.target}`];
  for (const s of r.steps) {
    lines.push(`  step ${s.index + 1}/${r.steps.length} in database "${s.database}": ${s.status}`);
    for (const m of s.messages) lines.push(`    ${m}`);
  }
  lines.push(r.ok ? "applied: every step ran" : "failed: a step failed; nothing after it ran");
  return lines.join("\n") + "\n";
}
