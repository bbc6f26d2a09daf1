// Secrets stay secret: password login only by waiver, the generated password is a
// secret everywhere it appears, and no plain output or log line carries it.

import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { promiseOf } from "../helpers/mocks"; // mocks first
import { build, minimalArgs, tweak, type Built } from "./fixtures";

describe("ZeroTrustPostgres secrets", function () {
  this.timeout(60000);

  let b: Built;
  let password: string;
  before(async () => {
    b = await build(
      "zts",
      tweak(minimalArgs(), (a) => {
        a.allowPasswordAuth = true;
      }),
    );
    password = await promiseOf(b.component.administratorPassword!);
  });

  it("creates no password and no password output without the waiver", async () => {
    const plain = await build("zts-off", minimalArgs());
    assert.equal(plain.ofType("random:index/randomPassword:RandomPassword").length, 0);
    assert.equal(plain.component.administratorPassword, undefined);
    const server = plain.get("azure-native:dbforpostgresql:Server", "zts-off-server").inputs;
    assert.equal(server.administratorLogin, undefined);
    assert.equal(server.administratorLoginPassword, undefined);
  });

  it("turns password login on with a generated 32-character password and the default login", () => {
    const pw = b.get("random:index/randomPassword:RandomPassword", "zts-admin-password").inputs;
    assert.equal(pw.length, 32);
    const server = b.get("azure-native:dbforpostgresql:Server", "zts-server").inputs;
    assert.equal((server.authConfig as Record<string, unknown>).passwordAuth, "Enabled");
    assert.equal((server.authConfig as Record<string, unknown>).activeDirectoryAuth, "Enabled");
    assert.equal(server.administratorLogin, "ztadmin");
    // The mock monitor shows the wire form when it supports secrets ({ <sig>: …, value }); either way
    // the server receives exactly the generated password. Its secrecy is asserted on the outputs below.
    const sent = server.administratorLoginPassword as string | { value: string };
    assert.equal(typeof sent === "object" && sent !== null ? sent.value : sent, password);
    assert.ok(password.length > 8);
  });

  it("exposes the password only as a secret output", async () => {
    assert.equal(await pulumi.isSecret(b.component.administratorPassword!), true);
  });

  it("keeps the password out of every other output", async () => {
    const c = b.component as unknown as Record<string, unknown>;
    const names = Object.keys(c).filter(
      (k) => pulumi.Output.isInstance(c[k]) && k !== "administratorPassword",
    );
    assert.ok(names.length >= 10, names.join(","));
    for (const k of names) {
      const o = c[k] as pulumi.Output<unknown>;
      const value = JSON.stringify(await promiseOf(o));
      assert.ok(!String(value).includes(password), `${k} contains the password`);
      assert.equal(await pulumi.isSecret(o), false, `${k} is plain, so it must not depend on the password`);
    }
  });

  it("marks the server's echo of the password as an additional secret output", () => {
    assert.deepEqual(b.opts("zts-server").additionalSecretOutputs, ["administratorLoginPassword"]);
  });

  it("warns naming the waived rule, without the password", () => {
    const w = b.warnings.filter((m) =>
      m.startsWith("[postgres-entra-only-auth] waived by `allowPasswordAuth: true`"),
    );
    assert.equal(w.length, 1);
    for (const m of b.warnings) assert.ok(!m.includes(password));
  });

  it("never puts the password in the bootstrap SQL or the connection info", async () => {
    const sql = await promiseOf(b.component.bootstrapSql);
    const conn = JSON.stringify(await promiseOf(b.component.connection));
    assert.ok(!sql.includes(password));
    assert.ok(!conn.includes(password));
    assert.ok(!/password/i.test(conn), "tokens, not passwords, in the connection description");
  });
});
