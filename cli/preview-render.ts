// The text form of a preview, laid out like `pulumi preview`: the resource tree, counts by type, the
// security settings of each PostgreSQL server, the stack outputs and the policy results. Every string
// that came from the program or the pack is escaped (cli/text.ts) before it is printed.
//
// The security settings are read with the rules' own fact helpers (policies/rules/postgres.ts,
// parameters.ts) and the Azure fact tables (policies/facts/server-parameters.ts for a parameter's
// default per PostgreSQL version, policies/rules/thresholds.ts for the backup retention default), so
// the preview restates no provider default of its own.
//
// Colour and width: the operation glyph is coloured as `pulumi preview` colours it (cli/color.ts); the
// caller decides whether to colour (`colorEnabled`) and how wide the terminal is. Lines longer than the
// width are cut with "…" (never inside an escape or an ANSI sequence); policy messages are wrapped.

import { azureDefault, isPostgresMajorVersion } from "../policies/facts/server-parameters";
import { parameterOf } from "../policies/rules/parameters";
import {
  entraAuthOn,
  geoBackupOn,
  isReplica,
  noPublicNetworkAccess,
  passwordAuthOn,
  usesCmk,
  usesDelegatedSubnet,
} from "../policies/rules/postgres";
import { BACKUP_RETENTION_DAYS } from "../policies/rules/thresholds";
import { isType } from "../policies/rules/tokens";
import type { ResourceView } from "../policies/rules/types";
import { painter, type Paint } from "./color";
import { escapeControl, fitToWidth, visibleWidth, wrapToWidth } from "./text";
import { SECRET_PLACEHOLDER, type PreviewResourceRecord, type PreviewResult } from "./preview-types";

/**
 * The step glyphs and colours of `pulumi preview` (StepOp.RawPrefix and StepOp.Color in
 * pkg/resource/deploy/step.go, now pkg/display; colours in sdk/go/common/diag/colors/colors.go;
 * https://github.com/pulumi/pulumi, read 2026-11-30). An offline preview has no state, so every
 * resource is a create; the others are here so the table reads as Pulumi's.
 */
export const STEP_OPS = {
  same: { glyph: "  ", color: undefined },
  create: { glyph: "+ ", color: "green" },
  update: { glyph: "~ ", color: "yellow" },
  delete: { glyph: "- ", color: "red" },
  replace: { glyph: "+-", color: "brightMagenta" },
  "create-replacement": { glyph: "++", color: "brightGreen" },
  "delete-replaced": { glyph: "--", color: "brightRed" },
} as const;

export interface PreviewTextOptions {
  title?: string;
  policiesEvaluated?: boolean;
  /** ANSI colours (the CLI decides with `colorEnabled`). */
  color?: boolean;
  /** Fit lines to this many columns; undefined leaves them whole (a file, a pipe without COLUMNS). */
  width?: number;
}

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
  const sv = view(server);
  const classic = server.type.startsWith("azure:");
  // A parameter the program does not set keeps Azure's default for the server's version (fact table).
  const version = i.version;
  const parameter = (name: string): string => {
    const set = params.get(name);
    if (set !== undefined) return set;
    const fallback = isPostgresMajorVersion(version) ? azureDefault(name, version) : undefined;
    return fallback === undefined ? "(unset: Azure default)" : `(unset: ${esc(fallback)})`;
  };
  // The rule's own judgement: it reports a server whose public network access is on.
  const publicOpen = noPublicNetworkAccess.check(sv, { allowPublicAccess: false }).length > 0;
  const publicValue = classic ? i.publicNetworkAccessEnabled : get(i, "network", "publicNetworkAccess");
  const delegated = usesDelegatedSubnet(sv);
  // A secret input is shown as "[secret]": the pack judged its value, this text has only the placeholder.
  const onOff = (on: boolean, seen: string): string =>
    seen.includes(`"${SECRET_PLACEHOLDER}"`) ? "secret" : on ? "on" : "off";
  const entra = entraAuthOn(sv);
  const password = passwordAuthOn(sv);
  const keyUri = classic
    ? get(i, "customerManagedKey", "keyVaultKeyId")
    : get(i, "dataEncryption", "primaryKeyURI");
  const geo = geoBackupOn(sv);
  const geoKey = classic
    ? get(i, "customerManagedKey", "geoBackupKeyVaultKeyId")
    : get(i, "dataEncryption", "geoBackupKeyURI");
  const ha = get(i, "highAvailability", "mode");
  const replica = isReplica(sv);
  const retention = classic ? i.backupRetentionDays : get(i, "backup", "backupRetentionDays");
  const preload = parameter("shared_preload_libraries");
  const pgauditLoaded = preload
    .replace(/^"|"$/g, "")
    .split(",")
    .some((lib) => lib.trim().toLowerCase() === "pgaudit");
  const rows: [string, string][] = [
    [
      "public network access",
      delegated
        ? "none (VNet-integrated)"
        : `${publicValue === SECRET_PLACEHOLDER ? "secret" : publicOpen ? "on" : "off"} (${show(publicValue, "unset")})`,
    ],
    [
      "authentication",
      replica && get(i, "authConfig") === undefined
        ? "the primary's (a read replica inherits it)"
        : `Entra ID ${onOff(entra.on, entra.seen)} (${esc(entra.seen)}), password ${onOff(password.on, password.seen)} (${esc(password.seen)})`,
    ],
    [
      "customer-managed key",
      usesCmk(sv) ? `on${keyUri ? ` ${show(keyUri)}` : ""}` : "off (service-managed key)",
    ],
    [
      "TLS floor",
      `ssl_min_protocol_version=${parameter("ssl_min_protocol_version")}, require_secure_transport=${parameter("require_secure_transport")}`,
    ],
    // A read replica has no backups and no HA of its own (the rules' replica decision says why).
    [
      "backup",
      replica
        ? "none on a read replica (its primary's backups)"
        : `geo-redundant ${onOff(geo.on, geo.seen)}${geoKey ? " with geo key" : ""} (${esc(geo.seen)}), retention ${show(retention, `(unset: ${BACKUP_RETENTION_DAYS.azureDefault})`)} days`,
    ],
    ["high availability", replica ? "none on a read replica" : show(ha, "(unset)")],
    [
      "pgaudit",
      pgauditLoaded
        ? `loaded, pgaudit.log=${parameter("pgaudit.log")}`
        : `not in shared_preload_libraries (${preload})`,
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
export function formatPreviewText(result: PreviewResult, opts: PreviewTextOptions = {}): string {
  const out: string[] = [];
  const paint: Paint = painter(opts.color === true);
  const create = STEP_OPS.create;
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
  if (stack) rows.push([create.glyph, "pulumi:pulumi:Stack", esc(`${stack.project}-${stack.stack}`), ""]);
  const walk = (r: PreviewResourceRecord, prefix: string, last: boolean) => {
    const level = flagged.get(r.urn);
    const mark =
      level === "mandatory"
        ? `  ${paint("red", "✗ mandatory violation")}`
        : level === "advisory"
          ? `  ${paint("yellow", "! advisory")}`
          : "";
    rows.push([create.glyph, `${prefix}${last ? "└─ " : "├─ "}${esc(r.type)}`, esc(r.name), mark]);
    const kids = children.get(r.urn) ?? [];
    const nextPrefix = prefix + (last ? "   " : "│  ");
    kids.forEach((k, idx) => walk(k, nextPrefix, idx === kids.length - 1));
  };
  roots.forEach((r, idx) => walk(r, "", idx === roots.length - 1));
  let width = Math.max(4, ...rows.map((r) => r[1].length)) + 2;
  let nameWidth = Math.max(4, ...rows.map((r) => r[2].length)) + 2;
  if (opts.width !== undefined) {
    // Keep the plan column on screen: shrink the name column first, then the type column.
    const room = opts.width - 5 - "create".length;
    if (width + nameWidth > room) {
      nameWidth = Math.min(nameWidth, Math.max(10, Math.floor(room * 0.35)));
      width = Math.max(10, room - nameWidth);
    }
  }
  const cell = (text: string, w: number): string => {
    const fitted = fitToWidth(text, w - 1);
    return fitted + " ".repeat(Math.max(1, w - visibleWidth(fitted)));
  };
  out.push(`     ${"Type".padEnd(width)}${"Name".padEnd(nameWidth)}Plan`);
  for (const [op, type, name, mark] of rows) {
    out.push(
      ` ${paint(create.color, op)}  ${cell(type, width)}${cell(name, nameWidth)}${paint(create.color, "create")}${mark}`,
    );
  }

  out.push("", "Resources:", `    ${paint(create.color, `+ ${resources.length} to create`)}`, "");
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  out.push("By type:");
  for (const [type, n] of sorted) out.push(`    ${String(n).padStart(3)}  ${esc(type)}`);

  const servers = resources.filter((r) => isType(r.type, "flexibleServer"));
  for (const s of servers) {
    out.push("", `Security settings: ${esc(s.type)} "${esc(s.name)}"`);
    for (const [k, v] of serverSettings(s, resources))
      out.push(...wrapToWidth(`    ${k.padEnd(24)}${v}`, opts.width, " ".repeat(28)));
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
  const finish = (): string => out.map((line) => fitToWidth(line, opts.width)).join("\n") + "\n";
  if (opts.policiesEvaluated === false) {
    out.push("", "Policies: not evaluated (--no-policies)");
    return finish();
  }
  out.push(
    "",
    "Policies (evaluated through the pack's gRPC Analyzer, as `pulumi preview --policy-pack` does):",
  );
  if (diagnostics.length === 0) out.push("    no violations");
  for (const lvl of ["mandatory", "remediate", "advisory", "disabled"]) {
    const ds = counted(lvl);
    if (ds.length === 0) continue;
    const color = lvl === "advisory" ? "yellow" : lvl === "disabled" ? "dim" : "red";
    out.push(`    ${paint(color, lvl)} (${ds.length}):`);
    for (const d of ds) {
      const who = byUrn.get(d.urn);
      out.push(`      [${esc(d.policy)}] ${who ? `${esc(who.type)} "${esc(who.name)}"` : esc(d.urn)}`);
      // Messages are wrapped to the width rather than cut: every word of a violation matters.
      for (const line of messageLines(d.message))
        out.push(...wrapToWidth(`          ${esc(line)}`, opts.width, "          "));
    }
  }
  out.push("", `${counted("mandatory").length} mandatory, ${counted("advisory").length} advisory`);
  return finish();
}
