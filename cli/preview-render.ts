// The text form of a preview, laid out like `pulumi preview`: the resource tree, counts by type, the
// security settings of each PostgreSQL server, the stack outputs and the policy results. Every string
// that came from the program or the pack is escaped (cli/text.ts) before it is printed.

import { parameterOf } from "../policies/rules/parameters";
import { passwordAuthOn, usesDelegatedSubnet } from "../policies/rules/postgres";
import { isType } from "../policies/rules/tokens";
import type { ResourceView } from "../policies/rules/types";
import { escapeControl } from "./text";
import type { PreviewResourceRecord, PreviewResult } from "./preview-types";

function get(o: unknown, ...keys: string[]): unknown {
  let cur = o;
  for (const k of keys) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function show(v: unknown, unset = "(unset)"): string {
  if (v === undefined || v === null) return unset;
  if (typeof v === "string") return esc(v);
  return esc(JSON.stringify(v));
}

/** One line of program- or pack-supplied text, control characters escaped. */
function esc(v: string): string {
  return escapeControl(v, true);
}

function view(r: PreviewResourceRecord): ResourceView {
  return { type: r.type, props: r.inputs, urn: r.urn, name: r.name };
}

function serverSettings(server: PreviewResourceRecord, all: PreviewResourceRecord[]): [string, string][] {
  const i = server.inputs;
  const serverName = i.serverName ?? i.name;
  // Parameters of this server: matched by serverName input, by dependency, or by the server's URN.
  const params = new Map<string, string>();
  for (const r of all) {
    if (!isType(r.type, "configuration")) continue;
    const matches =
      (serverName !== undefined &&
        (r.inputs.serverName === serverName || r.inputs.serverId === serverName)) ||
      r.dependencies.includes(server.urn);
    if (!matches) continue;
    // The rules' own reading of a parameter resource (name per provider, trimmed, lower-case).
    const p = parameterOf(view(r));
    if (p) params.set(p.name, show(p.value));
  }
  const classic = server.type.startsWith("azure:");
  const publicAccess = classic
    ? show(i.publicNetworkAccessEnabled, "(unset: true)")
    : show(get(i, "network", "publicNetworkAccess"), "(unset: Enabled)");
  const delegated = usesDelegatedSubnet(view(server));
  const entra = classic
    ? get(i, "authentication", "activeDirectoryAuthEnabled")
    : get(i, "authConfig", "activeDirectoryAuth");
  const password = passwordAuthOn(view(server));
  const cmkType = classic
    ? get(i, "customerManagedKey", "keyVaultKeyId")
      ? "AzureKeyVault"
      : undefined
    : get(i, "dataEncryption", "type");
  const keyUri = classic
    ? get(i, "customerManagedKey", "keyVaultKeyId")
    : get(i, "dataEncryption", "primaryKeyURI");
  const geo = classic ? i.geoRedundantBackupEnabled : get(i, "backup", "geoRedundantBackup");
  const geoKey = classic
    ? get(i, "customerManagedKey", "geoBackupKeyVaultKeyId")
    : get(i, "dataEncryption", "geoBackupKeyURI");
  const ha = classic ? get(i, "highAvailability", "mode") : get(i, "highAvailability", "mode");
  const retention = classic ? i.backupRetentionDays : get(i, "backup", "backupRetentionDays");
  const preload = params.get("shared_preload_libraries");
  const pgauditLoaded = preload !== undefined && /(^|,)\s*pgaudit\s*(,|$)/i.test(preload);
  const rows: [string, string][] = [
    ["public network access", publicAccess + (delegated ? " (VNet-integrated)" : "")],
    [
      "authentication",
      `Entra ID ${show(entra, "(unset: Disabled)")}, password ${password.on ? "on" : "off"} (${esc(password.seen)})`,
    ],
    [
      "customer-managed key",
      cmkType ? `${show(cmkType)}${keyUri ? ` ${show(keyUri)}` : ""}` : "(unset: service-managed key)",
    ],
    [
      "TLS floor",
      `${params.get("ssl_min_protocol_version") ?? "(unset: TLSv1.2)"}, require_secure_transport=${params.get("require_secure_transport") ?? "(unset: on)"}`,
    ],
    [
      "backup",
      `geo-redundant ${show(geo, "(unset: Disabled)")}${geoKey ? " with geo key" : ""}, retention ${show(retention, "(unset: 7)")} days`,
    ],
    ["high availability", show(ha, "(unset: Disabled)")],
    [
      "pgaudit",
      pgauditLoaded
        ? `loaded, pgaudit.log=${params.get("pgaudit.log") ?? "(unset: none)"}`
        : "not in shared_preload_libraries",
    ],
  ];
  return rows;
}

/** Project and stack from the URNs (`urn:pulumi:<stack>::<project>::…`). */
function stackOf(resources: PreviewResourceRecord[]): { project: string; stack: string } | undefined {
  const m = resources.length > 0 ? /^urn:pulumi:([^:]+)::([^:]+)::/.exec(resources[0].urn) : null;
  return m ? { stack: m[1], project: m[2] } : undefined;
}

/**
 * The CrossGuard SDK prefixes each message with the policy description; when the rule's own message
 * already starts with that sentence, show it once.
 */
function messageLines(message: string): string[] {
  const lines = message.split("\n");
  if (lines.length > 1 && lines[1].startsWith(lines[0].replace(/\.$/, ""))) return lines.slice(1);
  return lines;
}

/** Renders a preview result the way `pulumi preview` lays it out, plus security settings and policy results. */
export function formatPreviewText(
  result: PreviewResult,
  opts: { title?: string; policiesEvaluated?: boolean } = {},
): string {
  const out: string[] = [];
  const { resources, diagnostics } = result;
  const where = stackOf(resources);
  const title =
    opts.title ??
    (where
      ? `Previewing ${esc(where.project)}/${esc(where.stack)} offline (Pulumi's program runner against a local engine stand-in: no cloud calls, no state)`
      : undefined);
  if (title) out.push(title, "");
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const children = new Map<string, PreviewResourceRecord[]>();
  const roots: PreviewResourceRecord[] = [];
  for (const r of resources) {
    if (r.parent && byUrn.has(r.parent)) {
      const list = children.get(r.parent) ?? [];
      list.push(r);
      children.set(r.parent, list);
    } else roots.push(r);
  }
  const flagged = new Map<string, string>();
  for (const d of diagnostics) {
    if (d.level === "mandatory") flagged.set(d.urn, "mandatory");
    else if (!flagged.has(d.urn) && d.level === "advisory") flagged.set(d.urn, "advisory");
  }
  // Like `pulumi preview`: the stack resource at the root, everything else under it by parent.
  const stack = stackOf(resources);
  const rows: [string, string, string, string][] = [];
  if (stack) rows.push([" +  ", "pulumi:pulumi:Stack", esc(`${stack.project}-${stack.stack}`), ""]);
  const walk = (r: PreviewResourceRecord, prefix: string, last: boolean) => {
    const level = flagged.get(r.urn);
    const mark =
      level === "mandatory" ? "  ✗ mandatory violation" : level === "advisory" ? "  ! advisory" : "";
    rows.push([" +  ", `${prefix}${last ? "└─ " : "├─ "}${esc(r.type)}`, esc(r.name), mark]);
    const kids = children.get(r.urn) ?? [];
    const nextPrefix = prefix + (last ? "   " : "│  ");
    kids.forEach((k, idx) => walk(k, nextPrefix, idx === kids.length - 1));
  };
  roots.forEach((r, idx) => walk(r, "", idx === roots.length - 1));
  const width = Math.max(4, ...rows.map((r) => r[1].length)) + 2;
  const nameWidth = Math.max(4, ...rows.map((r) => r[2].length)) + 2;
  out.push(`     ${"Type".padEnd(width)}${"Name".padEnd(nameWidth)}Plan`);
  for (const [op, type, name, mark] of rows) {
    out.push(` ${op}${type.padEnd(width)}${name.padEnd(nameWidth)}create${mark}`);
  }

  out.push("", "Resources:", `    + ${resources.length} to create`, "");
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  out.push("By type:");
  for (const [type, n] of sorted) out.push(`    ${String(n).padStart(3)}  ${esc(type)}`);

  const servers = resources.filter((r) => isType(r.type, "flexibleServer"));
  for (const s of servers) {
    out.push("", `Security settings: ${esc(s.type)} "${esc(s.name)}"`);
    for (const [k, v] of serverSettings(s, resources)) out.push(`    ${k.padEnd(24)}${v}`);
  }

  const outputs = Object.entries(result.outputs ?? {});
  if (outputs.length > 0) {
    out.push("", "Outputs:");
    const w = Math.max(...outputs.map(([k]) => esc(k).length)) + 2;
    for (const [k, v] of outputs) {
      const text = typeof v === "string" ? v : JSON.stringify(v);
      const lines = escapeControl(text).split("\n");
      const shown = lines.length > 1 ? `${lines[0]} … (${lines.length} lines; --json shows all)` : lines[0];
      out.push(`    ${esc(k).padEnd(w)}${shown}`);
    }
  }

  const counted = (lvl: string) => diagnostics.filter((d) => d.level === lvl);
  if (opts.policiesEvaluated === false) {
    out.push("", "Policies: not evaluated (--no-policies)");
    return out.join("\n") + "\n";
  }
  out.push(
    "",
    "Policies (evaluated through the pack's gRPC Analyzer, as `pulumi preview --policy-pack` does):",
  );
  if (diagnostics.length === 0) out.push("    no violations");
  for (const lvl of ["mandatory", "remediate", "advisory", "disabled"]) {
    const ds = counted(lvl);
    if (ds.length === 0) continue;
    out.push(`    ${lvl} (${ds.length}):`);
    for (const d of ds) {
      const who = byUrn.get(d.urn);
      out.push(`      [${esc(d.policy)}] ${who ? `${esc(who.type)} "${esc(who.name)}"` : esc(d.urn)}`);
      for (const line of messageLines(d.message)) out.push(`          ${esc(line)}`);
    }
  }
  out.push("", `${counted("mandatory").length} mandatory, ${counted("advisory").length} advisory`);
  return out.join("\n") + "\n";
}
