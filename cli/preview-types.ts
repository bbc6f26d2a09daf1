// The offline preview's result: what `zt-postgres preview --json` prints.

import type { PreviewDiagnostic } from "./pack-eval";

export type { PreviewDiagnostic } from "./pack-eval";

export const SECRET_PLACEHOLDER = "[secret]";
export const UNKNOWN_PLACEHOLDER = "[unknown]";

export interface PreviewResourceRecord {
  urn: string;
  type: string;
  name: string;
  /** The parent's URN; top-level resources have the stack as parent, as in `pulumi preview`. */
  parent?: string;
  /** The inputs the program gave; secrets are "[secret]", values unknown at preview are "[unknown]". */
  inputs: Record<string, unknown>;
  /** URNs this resource depends on: explicit `dependsOn` plus property dependencies. */
  dependencies: string[];
}

export interface PreviewResult {
  /** Every resource the program registered, in registration order, without the stack itself. */
  resources: PreviewResourceRecord[];
  diagnostics: PreviewDiagnostic[];
  /** The stack's outputs (`pulumi stack output`); secrets are "[secret]", unknowns "[unknown]". */
  outputs: Record<string, unknown>;
}
