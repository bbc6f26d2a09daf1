// Bad component inputs: every row of bad-inputs.table.ts is refused at construction
// with one line that names the field, the value and what is allowed, and nothing is registered.
// Resource ids passed as Outputs that resolve later to a bad value fail the outputs that depend on
// them with the same message, and those outputs never resolve to a value.

import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";

import { promiseOf, recorder, settle } from "../helpers/mocks";
import { BAD_INPUTS, LATE_BAD_INPUTS, validArgs, validVnetArgs, type Category } from "./bad-inputs.table";
import type { ZeroTrustPostgres as ZeroTrustPostgresType, ZeroTrustPostgresArgs } from "../../components";

type Ctor = typeof ZeroTrustPostgresType;

/** The line of `message` that carries all three fragments, or undefined. */
function lineWith(
  message: string,
  says: { field: string; value: string; allowed: string },
): string | undefined {
  return message
    .split("\n")
    .find((l) => l.includes(says.field) && l.includes(says.value) && l.includes(says.allowed));
}

let counter = 0;
/** A fresh component name per case, so URNs never collide across cases. */
function fresh(base = "pg"): string {
  counter += 1;
  return `${base}${counter === 1 ? "" : `-${counter}`}`.slice(0, 40);
}

describe("bad component inputs", function () {
  let ZeroTrustPostgres: Ctor;

  before(async function () {
    ({ ZeroTrustPostgres } = await import("../../components"));
  });

  it("accepts the valid starting points (so each row fails for its own reason)", async function () {
    for (const args of [validArgs(), validVnetArgs()]) {
      const from = recorder.resources.length;
      const c = new ZeroTrustPostgres(fresh("ok"), args, {
        protect: false,
      } as pulumi.ComponentResourceOptions);
      await promiseOf(c.serverId);
      await settle();
      assert.ok(recorder.resources.length > from, "a valid input registers children");
    }
  });

  it("names each row once and covers every kind of bad input", function () {
    assert.equal(new Set(BAD_INPUTS.map((r) => r.title)).size, BAD_INPUTS.length, "titles are unique");
    const categories = new Set(BAD_INPUTS.map((r) => r.category));
    const kinds: Category[] = [
      "name",
      "range",
      "cidr-ip",
      "guid",
      "resource-id",
      "version-tls",
      "contradiction",
      "missing",
      "type",
      "duplicate",
      "rule",
    ];
    assert.deepEqual([...categories].sort(), [...kinds].sort());
  });

  for (const row of BAD_INPUTS) {
    it(`refuses ${row.title}, naming ${row.says.field}, the value and what is allowed; registers nothing`, async function () {
      const args = row.vnet ? validVnetArgs() : validArgs();
      row.change(args);
      await settle();
      const from = recorder.resources.length;
      let caught: unknown;
      try {
        new ZeroTrustPostgres(row.name ?? fresh(), args);
      } catch (e) {
        caught = e;
      }
      assert.ok(caught instanceof Error, `${row.title}: accepted`);
      // RunError: the CLI prints the message without a stack trace.
      assert.ok(pulumi.RunError.isInstance(caught), `${row.title}: ${String(caught)} is not a RunError`);
      const message = caught.message;
      assert.ok(
        lineWith(message, row.says),
        `${row.title}: no line names ${row.says.field}, ${row.says.value} and ${row.says.allowed}:\n${message}`,
      );
      assert.match(message, /nothing was created/);
      await settle();
      assert.deepEqual(
        recorder.resources.slice(from).map((r) => `${r.type}::${r.name}`),
        [],
        `${row.title}: children were registered`,
      );
    });
  }

  describe("secret Inputs resolving later to a bad value", function () {
    // A secret is never printed: the refusal names the field and says "(secret)".
    for (const row of LATE_BAD_INPUTS) {
      it(`fails the outputs that depend on ${row.title} naming the field and "(secret)", never the value`, async function () {
        const args: ZeroTrustPostgresArgs = row.vnet ? validVnetArgs() : validArgs();
        let secretValue = "";
        row.change(args, (v) => {
          secretValue = v;
          return pulumi.secret(new Promise<string>((resolve) => setImmediate(() => resolve(v))));
        });
        const component = new ZeroTrustPostgres(fresh("secret"), args, {
          protect: false,
        } as pulumi.ComponentResourceOptions);
        const out = (component as unknown as Record<string, pulumi.Output<unknown>>)[row.outputs[0]];
        await assert.rejects(promiseOf(out), (e: Error) => {
          assert.ok(e.message.includes(row.says.field), `${row.says.field} in ${e.message}`);
          assert.ok(e.message.includes("(secret)"), e.message);
          assert.ok(!e.message.includes(secretValue), `the secret value leaked: ${e.message}`);
          assert.ok(!e.message.includes(row.says.value), `the secret value leaked: ${e.message}`);
          return true;
        });
        await settle();
      });
    }
  });

  describe("resource ids that are Outputs resolving later to a bad value", function () {
    for (const row of LATE_BAD_INPUTS) {
      it(`fails the outputs that depend on ${row.title} with the same message; none resolves`, async function () {
        const args: ZeroTrustPostgresArgs = row.vnet ? validVnetArgs() : validArgs();
        // Resolves after construction, like the id of a resource created in the same program.
        row.change(args, (v) =>
          pulumi.output(new Promise<string>((resolve) => setImmediate(() => resolve(v)))),
        );
        const component = new ZeroTrustPostgres(fresh("late"), args, {
          protect: false,
        } as pulumi.ComponentResourceOptions);
        for (const name of row.outputs) {
          const out = (component as unknown as Record<string, pulumi.Output<unknown>>)[name];
          assert.ok(pulumi.Output.isInstance(out), `${name} is an output`);
          await assert.rejects(promiseOf(out), (e: Error) => {
            assert.ok(
              lineWith(e.message, row.says),
              `${name}: the error does not name ${row.says.field}, ${row.says.value} and ${row.says.allowed}: ${e.message}`,
            );
            // Exactly the validator's line: the SDK's in-place 'error serializing property "…"' prefix is kept off.
            assert.doesNotMatch(e.message, /error serializing/, `${name}: ${e.message}`);
            // A ResourceError on the component with its stack hidden: the CLI shows the message only.
            assert.ok(pulumi.ResourceError.isInstance(e), `${name}: ${e.name} is not a ResourceError`);
            assert.equal((e as pulumi.ResourceError).hideStack, true);
            assert.equal((e as pulumi.ResourceError).resource, component);
            return true;
          });
        }
        await settle();
      });
    }
  });
});
