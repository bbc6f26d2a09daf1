// Secret handling for stack exports. A secret in a `pulumi stack export` file is an object carrying
// the signature key with the secret signature, and either `ciphertext` (the default) or `plaintext`
// (`--show-secrets`, where the plaintext is itself JSON-encoded):
//
//   { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "..." }
//
// The pack sees a secret as the engine shows it to an analyzer (cli/secret-text.ts): a `plaintext`
// secret as its value wrapped in the secret signature (the pack judges the value, and the audit hides it
// in every message), a `ciphertext` one as a value not known during preview, which the offline audit
// cannot decrypt. Nothing else keeps a secret: reports print rule messages, never inputs. The same
// signature key also marks assets, archives, resource references and output values
// (sdk/go/common/resource/sig); those are lowered the way the engine lowers them for an analyzer that
// does not keep resources or outputs.

import {
  OUTPUT_VALUE_SIG,
  RESOURCE_SIG,
  SECRET_SIG,
  SIG_KEY,
  secretValue,
  unknownValue,
} from "../wire-values";
import { SECRET_TEXT } from "../secret-text";

// The signatures are defined once, in cli/wire-values.ts.
export { OUTPUT_VALUE_SIG, SECRET_SIG, SIG_KEY } from "../wire-values";
/** `SIG_KEY` value of a resource reference (`{ urn, id?, packageVersion? }`). */
export const RESOURCE_REFERENCE_SIG = RESOURCE_SIG;

/** What a secret looks like in any output. */
export const SECRET_PLACEHOLDER = SECRET_TEXT;

/** A `--show-secrets` plaintext: JSON-encoded; a plaintext that is not JSON is the string itself. */
function plaintextValue(plaintext: string): unknown {
  try {
    return JSON.parse(plaintext) as unknown;
  } catch {
    return plaintext;
  }
}

/**
 * Returns `value` as the engine would hand it to an analyzer: a plaintext secret as a `SecretValue` of
 * its value, a ciphertext secret (or a secret output value without its value) as unknown, resource
 * references lowered to their id (custom resources) or URN, and output values to their plain value.
 * Builds new containers only where something changed, so a resource without secrets costs one walk
 * and no copies.
 */
export function packValue(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const next = packValue(item);
      if (next !== item && out === undefined) out = value.slice(0, i);
      if (out !== undefined) out.push(next);
    }
    return out ?? value;
  }
  const obj = value as Record<string, unknown>;
  const sig = obj[SIG_KEY];
  if (typeof sig === "string") {
    if (sig === SECRET_SIG) {
      return typeof obj.plaintext === "string"
        ? secretValue(packValue(plaintextValue(obj.plaintext)))
        : unknownValue();
    }
    if (sig === OUTPUT_VALUE_SIG) {
      if (obj.secret === true) return "value" in obj ? secretValue(packValue(obj.value)) : unknownValue();
      return "value" in obj ? packValue(obj.value) : undefined;
    }
    if (sig === RESOURCE_REFERENCE_SIG) {
      if (typeof obj.id === "string" && obj.id !== "") return obj.id;
      return typeof obj.urn === "string" ? obj.urn : undefined;
    }
    // Assets and archives stay as they are: no rule reads them, and they hold no secret.
  }
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(obj)) {
    const item = obj[key];
    const next = packValue(item);
    if (next !== item) {
      out ??= { ...obj };
      if (next === undefined) delete out[key];
      else setOwn(out, key, next);
    }
  }
  return out ?? obj;
}

/** Sets an own data property, even for the key `__proto__`, which plain assignment would treat as the prototype. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
