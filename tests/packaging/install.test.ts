// The package as others install it, in temp folders outside the repository (so nothing resolves from
// its node_modules). Cost: the whole file took 2 min 53 s on the shared 2-core machine at a load average
// of 10-15 (2026-11-30), nearly all of it `npm install` from the npm cache (`--prefer-offline`; the
// registry is asked only for what the cache lacks, e.g. the consumer's newer @pulumi/pulumi) and the
// pack's `prepack` compile. Both installs are in this one file so they run once per `npm test`. Needs
// the build (`npm run build`; `npm test` does it).
//
// 1. `pulumi policy publish` runs `npm pack` in policies/ and uploads the tarball; the service (and
//    `pulumi policy enable`) unpacks it, takes its `package/` folder and runs the Node.js host's
//    dependency install there (`npm install`), then starts it like a local pack: the host runs
//    `node_modules/@pulumi/pulumi/cmd/run-policy-pack <engine> .` in that folder. Read on 2026-11-30:
//    https://github.com/pulumi/pulumi/blob/master/pkg/backend/httpstate/policypack.go (`Publish` calls
//    `npm.Pack`; `installRequiredPolicy` extracts and calls `InstallDependencies` with IsPlugin) and
//    https://github.com/pulumi/pulumi/blob/master/sdk/go/common/resource/plugin/analyzer_plugin.go (the
//    plugin's working directory is the pack, "so that the '@pulumi/pulumi/cmd/run-policy-pack' module from
//    the policy pack's node_modules is used"). This test does the same steps and drives the pack over gRPC.
// 2. A consumer project with its own, newer @pulumi/pulumi installs the package tarball: one copy of
//    @pulumi/pulumi and of @pulumi/azure-native (peer dependencies), and exactly the provider plugins the
//    Node.js host would ask for (it scans node_modules for package.json `"pulumi": { "resource": true }`,
//    `GetRequiredPackages` in https://github.com/pulumi/pulumi/blob/master/sdk/nodejs/cmd/pulumi-language-nodejs/main.go).
// 3. The policy-pack template (templates/zero-trust-postgres-policy) compiled in that consumer composes
//    our rules with its own typed stack policy in one pack, on the consumer's @pulumi/pulumi.

import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { RULE_IDS } from "../../policies/rules";
import { PACK_DIR, REPO, happyServer, happyServerProps, serverStack, urns } from "../helpers/pack";
import { startInstalledPack, type InstalledPack } from "./run-installed-pack";

const NPM_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];
const CONSUMER_PULUMI = "3.276.0";

function npm(args: string[], cwd: string): string {
  // npm's own script (npm-cli.js) runs on this process's Node, whatever `npm` is first on PATH.
  return execFileSync("npm", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, npm_config_update_notifier: "false" },
    maxBuffer: 64 * 1024 * 1024,
  });
}

function packTo(dir: string, dest: string, extra: string[] = []): { file: string; files: string[] } {
  const out = JSON.parse(npm(["pack", "--json", "--pack-destination", dest, ...extra], dir)) as {
    filename: string;
    files: { path: string }[];
  }[];
  return { file: path.join(dest, out[0].filename), files: out[0].files.map((f) => f.path).sort() };
}

/** Every package.json under node_modules (nested ones included), as [folder, manifest]. */
function installed(root: string): [string, Record<string, unknown>][] {
  const out: [string, Record<string, unknown>][] = [];
  const visit = (nm: string) => {
    if (!fs.existsSync(nm)) return;
    for (const e of fs.readdirSync(nm)) {
      if (e.startsWith(".")) continue;
      const dirs = e.startsWith("@")
        ? fs.readdirSync(path.join(nm, e)).map((s) => path.join(nm, e, s))
        : [path.join(nm, e)];
      for (const d of dirs) {
        const pj = path.join(d, "package.json");
        if (!fs.existsSync(pj)) continue;
        out.push([d, JSON.parse(fs.readFileSync(pj, "utf8")) as Record<string, unknown>]);
        visit(path.join(d, "node_modules"));
      }
    }
  };
  visit(path.join(root, "node_modules"));
  return out;
}

/** Bare module names a compiled file requires (`require("x")`, relative paths and node: builtins left out). */
function bareRequires(file: string): string[] {
  const names = new Set<string>();
  for (const m of fs.readFileSync(file, "utf8").matchAll(/require\("([^"]+)"\)/g)) {
    const spec = m[1];
    if (spec.startsWith(".") || spec.startsWith("node:")) continue;
    names.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);
  }
  return [...names];
}

function jsFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? jsFiles(path.join(dir, e.name))
        : e.name.endsWith(".js")
          ? [path.join(dir, e.name)]
          : [],
    );
}

describe("the published policy pack: policies/ packed, installed and started as the Pulumi service does", function () {
  this.timeout(240_000);
  let tmp: string;
  let packed: { file: string; files: string[] };
  let packDir: string;
  let pack: InstalledPack;

  before(async function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zt-published-pack-"));
    // `npm pack` runs the pack's `prepack` (tsc), as `pulumi policy publish` does.
    packed = packTo(PACK_DIR, tmp);
    fs.mkdirSync(path.join(tmp, "unpacked"));
    execFileSync("tar", ["-xzf", packed.file, "-C", path.join(tmp, "unpacked")]);
    packDir = path.join(tmp, "pack");
    fs.renameSync(path.join(tmp, "unpacked", "package"), packDir);
    npm(["install", ...NPM_FLAGS], packDir);
    pack = await startInstalledPack(packDir);
  });

  after(async function () {
    await pack?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("ships the compiled pack and its manifest, no TypeScript and no node_modules", function () {
    assert.ok(packed.files.includes("dist/index.js"), packed.files.join(", "));
    assert.ok(packed.files.includes("PulumiPolicy.yaml"));
    assert.ok(packed.files.includes("package.json"));
    assert.deepEqual(
      packed.files.filter((f) => f.endsWith(".ts") || f.startsWith("node_modules/")),
      [],
      "nothing but compiled JS and the manifests",
    );
    const manifest = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")) as {
      main: string;
      devDependencies?: object;
    };
    assert.equal(manifest.main, "dist/index.js");
    assert.equal(
      manifest.devDependencies,
      undefined,
      "the service's `npm install` installs devDependencies too",
    );
  });

  it("declares every package its compiled JS requires, and the SDK run-policy-pack comes from", function () {
    const manifest = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const required = new Set(jsFiles(path.join(packDir, "dist")).flatMap(bareRequires));
    assert.deepEqual([...required].sort(), ["@pulumi/policy"]);
    for (const name of [...required, "@pulumi/pulumi"]) {
      assert.ok(manifest.dependencies[name], `policies/package.json declares ${name}`);
      assert.ok(fs.existsSync(path.join(packDir, "node_modules", name, "package.json")), `${name} installed`);
    }
  });

  it("runs on its own node_modules: run-policy-pack from the installed pack serves GetAnalyzerInfo", async function () {
    assert.ok(pack.runner.startsWith(packDir + path.sep), pack.runner);
    const info = await pack.info();
    const version = (
      JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as { version: string }
    ).version;
    assert.equal(info.name, "zero-trust-azure-postgres");
    assert.equal(info.version, version);
    assert.deepEqual(info.policies.map((p) => p.name).sort(), [...RULE_IDS].sort());
  });

  it("reports a public server as a mandatory postgres-no-public-network-access violation (Analyze)", async function () {
    const props = happyServerProps();
    props.network = { publicNetworkAccess: "Enabled" };
    const ds = await pack.analyze(happyServer(props));
    assert.deepEqual(
      ds.map((d) => [d.policy, d.level]),
      [["postgres-no-public-network-access", "mandatory"]],
    );
    assert.match(ds[0].message, /public network access/i);
  });

  it("reports a server without diagnostic settings (AnalyzeStack)", async function () {
    const ds = await pack.analyzeStack(serverStack({ diagnostics: false }));
    const diag = ds.filter((d) => d.policy === "postgres-diagnostic-settings");
    assert.equal(diag.length, 1, JSON.stringify(ds));
    assert.equal(diag[0].urn, urns.server);
    const complete = await pack.analyzeStack(serverStack());
    assert.deepEqual(
      complete.filter((d) => d.policy === "postgres-diagnostic-settings"),
      [],
      "the same stack with its diagnostic setting",
    );
  });
});

describe("a consumer project: the package tarball beside the consumer's own newer @pulumi/pulumi", function () {
  this.timeout(300_000);
  let tmp: string;
  let consumer: string;
  let tree: [string, Record<string, unknown>][];

  before(function () {
    assert.ok(fs.existsSync(path.join(REPO, "dist", "index.js")), "run `npm run build` first");
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zt-consumer-"));
    // The build is done; `--ignore-scripts` skips `prepare` (patch-package and a second build).
    const root = packTo(REPO, tmp, ["--ignore-scripts"]);
    consumer = path.join(tmp, "consumer");
    fs.mkdirSync(consumer);
    fs.writeFileSync(
      path.join(consumer, "package.json"),
      JSON.stringify({
        name: "consumer",
        version: "1.0.0",
        private: true,
        dependencies: { "@pulumi/pulumi": CONSUMER_PULUMI },
        // What a Pulumi TypeScript project has; the template compiles with it.
        devDependencies: { typescript: "5.9.3", "@types/node": "22.20.7" },
      }),
    );
    // Install scripts are skipped: provider packages would download their plugins (the Pulumi CLI does
    // that itself from the packages' metadata, which the plugin check below reads).
    npm(["install", ...NPM_FLAGS, "--ignore-scripts", root.file], consumer);
    tree = installed(consumer);
  });

  after(function () {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("has exactly one @pulumi/pulumi, the consumer's, and one @pulumi/azure-native", function () {
    const copies = (name: string) =>
      tree.filter(([, m]) => m.name === name).map(([d, m]) => `${m.version} at ${d}`);
    assert.deepEqual(copies("@pulumi/pulumi"), [
      `${CONSUMER_PULUMI} at ${path.join(consumer, "node_modules", "@pulumi", "pulumi")}`,
    ]);
    assert.equal(copies("@pulumi/azure-native").length, 1, copies("@pulumi/azure-native").join("; "));
    assert.equal(copies("zero-trust-azure-postgres").length, 1);
  });

  it("makes the Node.js host ask for exactly the provider plugins the component's default path uses", function () {
    const plugins = tree
      .filter(([, m]) => (m.pulumi as { resource?: boolean } | undefined)?.resource === true)
      .map(([, m]) => String(m.name))
      .sort();
    assert.deepEqual(plugins, ["@pulumi/azure-native", "@pulumi/command", "@pulumi/random"]);
  });

  describe("the policy-pack template, compiled in the consumer", function () {
    let pack: InstalledPack;

    before(async function () {
      const dir = path.join(consumer, "my-org-policies");
      fs.cpSync(path.join(REPO, "templates", "zero-trust-postgres-policy"), dir, { recursive: true });
      // The template's own tsconfig, the consumer's TypeScript.
      try {
        const tsc = path.join(consumer, "node_modules", "typescript", "bin", "tsc");
        execFileSync(process.execPath, [tsc, "-p", dir], {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "pipe"],
        });
      } catch (e) {
        const out = e as { stdout?: string; stderr?: string };
        assert.fail(`the template does not compile:\n${out.stdout ?? ""}${out.stderr ?? ""}`);
      }
      // The pack resolves from the consumer's node_modules, as a pack folder inside a project does.
      pack = await startInstalledPack(dir, 60_000, path.join(consumer, "node_modules"));
    });

    after(async function () {
      await pack?.close();
    });

    it("serves our rules at the template's levels beside the template's own policy", async function () {
      const info = await pack.info();
      assert.equal(info.name, "my-org-policies");
      const level = new Map(info.policies.map((p) => [p.name, p.level]));
      assert.deepEqual([...level.keys()].sort(), [...RULE_IDS, "my-org-postgres-server-count"].sort());
      assert.equal(level.get("postgres-ha-zone-redundant"), "advisory");
      assert.equal(level.get("postgres-no-public-network-access"), "mandatory");
      assert.equal(level.get("postgres-tls-min-version"), "mandatory");
    });

    it("applies the template's TLS floor: TLSv1.2 is a mandatory postgres-tls-min-version violation", async function () {
      const ds = await pack.analyze({
        urn: "urn:pulumi:dev::zt-test::azure-native:dbforpostgresql:Configuration::tls",
        type: "azure-native:dbforpostgresql:Configuration",
        name: "tls",
        properties: {
          resourceGroupName: "rg-zt-test",
          serverName: "pg-zt-test",
          configurationName: "ssl_min_protocol_version",
          value: "TLSv1.2",
          source: "user-override",
        },
      });
      assert.deepEqual(
        ds.map((d) => [d.policy, d.level]),
        [["postgres-tls-min-version", "mandatory"]],
      );
      assert.match(ds[0].message, /TLSv1\.3/);
    });

    it("hands the typed stack policy every server while our stack rules still report", async function () {
      const stack = serverStack({ diagnostics: false });
      for (const n of ["pg-b", "pg-c"]) {
        const props = { ...happyServerProps(), serverName: n };
        stack.push({
          ...happyServer(props),
          urn: urns.server.replace("::pg", `::${n}`),
          name: n,
          id: `${happyServer().id}-${n}`,
        });
      }
      const ds = await pack.analyzeStack(stack);
      const mine = ds.filter((d) => d.policy === "my-org-postgres-server-count");
      assert.equal(mine.length, 1, JSON.stringify(ds));
      assert.match(mine[0].message, /\nThe stack has 3 PostgreSQL flexible servers; the limit is 2\.$/);
      const diag = ds.filter((d) => d.policy === "postgres-diagnostic-settings");
      assert.deepEqual(
        diag.map((d) => d.urn).sort(),
        [urns.server, urns.server.replace("::pg", "::pg-b"), urns.server.replace("::pg", "::pg-c")].sort(),
      );
      assert.ok(diag.every((d) => d.level === "mandatory"));
    });
  });
});
