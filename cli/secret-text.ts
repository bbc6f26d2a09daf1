// Secrets are judged, never printed.
//
// The engine hands an analyzer every secret with its plaintext, wrapped in the secret signature: it
// marshals analyzer properties with `KeepSecrets: true` (pkg/resource/plugin/analyzer_plugin.go,
// `Analyze` and `AnalyzeStack`; https://github.com/pulumi/pulumi/blob/master/pkg/resource/plugin/analyzer_plugin.go,
// read 2026-11-30), and @pulumi/policy unwraps the signature before a resource or stack policy sees the
// value (`deserializeProperties(..., false)` in server.js; node_modules/@pulumi/policy 1.21). So under
// `pulumi preview --policy-pack` a rule judges a secret-wrapped "Disabled" as "Disabled". Both offline
// paths do the same wherever the plaintext exists (`zt-postgres preview`: the program sends it; `zt-postgres
// audit` of a `pulumi stack export --show-secrets` file), and treat a secret whose plaintext they cannot
// see (an encrypted export's ciphertext) as a value not known during preview: each rule then does what
// it does for an unknown value under the engine.
//
// A rule's message may quote the value it judged. Before a message is kept, every text a secret of that
// resource could appear as is replaced by "[secret]" (`redactSecretTexts`). Matching is by whole token
// where the secret starts or ends with a letter or digit, so a secret "on" hides `"on"` but not the "on"
// in "configuration"; a message then may say "[secret]" where the same word was meant literally, which
// errs on the side of hiding.

import { SecretValue } from "./wire-values";

export const SECRET_TEXT = "[secret]";

function addText(into: Set<string>, text: string): void {
  if (text.trim() === "") return;
  into.add(text);
  // The form a message shows after JSON.stringify (quotes and backslashes escaped).
  const json = JSON.stringify(text).slice(1, -1);
  if (json !== text) into.add(json);
}

function addLeaves(value: unknown, into: Set<string>): void {
  if (value instanceof SecretValue) return addLeaves(value.value, into);
  if (typeof value === "string") return addText(into, value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return addText(into, String(value));
  if (value !== null && typeof value === "object") {
    addText(
      into,
      JSON.stringify(value, (_k, v: unknown) => (v instanceof SecretValue ? v.value : v)),
    );
    for (const item of Object.values(value as Record<string, unknown>)) addLeaves(item, into);
  }
}

/** Adds to `into` every text a secret inside `value` (a pack resource's properties) could show as. */
export function collectSecretTexts(value: unknown, into: Set<string>): Set<string> {
  if (value instanceof SecretValue) {
    addLeaves(value.value, into);
  } else if (Array.isArray(value)) {
    for (const item of value) collectSecretTexts(item, into);
  } else if (value !== null && typeof value === "object") {
    for (const item of Object.values(value as Record<string, unknown>)) collectSecretTexts(item, into);
  }
  return into;
}

const WORD = /[\p{L}\p{N}_]/u;

/** `text` with every occurrence of a secret text replaced by "[secret]", longest secrets first. */
export function redactSecretTexts(text: string, secrets: ReadonlySet<string>): string {
  if (secrets.size === 0) return text;
  const present = [...secrets].filter((s) => text.includes(s)).sort((a, b) => b.length - a.length);
  for (const s of present) {
    const body = s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const before = WORD.test(s[0]) ? "(?<![\\p{L}\\p{N}_])" : "";
    const after = WORD.test(s[s.length - 1]) ? "(?![\\p{L}\\p{N}_])" : "";
    text = text.replace(new RegExp(`${before}${body}${after}`, "gu"), SECRET_TEXT);
  }
  return text;
}
