// The machine-readable report: a summary and one entry per finding. Stable field order, two-space indent.

import type { AuditResult, FindingLevel } from "./audit";
import { TOOL_NAME, toolVersion } from "./tool";

export interface JsonReport {
  tool: { name: string; version: string };
  policyPack: { name: string; version: string; policies: number };
  export: {
    file: string;
    version: number;
    stack: string | null;
    project: string | null;
    pulumiVersion: string | null;
  };
  summary: {
    /** True when there is no mandatory (or remediate) violation: exit code 0. */
    passed: boolean;
    resourcesAudited: number;
    resourcesSkipped: { providers: number; stack: number; pendingDelete: number };
    resourcesWithViolations: number;
    violations: number;
    mandatory: number;
    remediate: number;
    advisory: number;
  };
  results: {
    ruleId: string;
    level: FindingLevel;
    message: string;
    /** Null for a stack-wide finding that names no resource. */
    urn: string | null;
    type: string | null;
    name: string | null;
  }[];
}

export function jsonReport(result: AuditResult): JsonReport {
  return {
    tool: { name: TOOL_NAME, version: toolVersion() },
    policyPack: {
      name: result.pack.name,
      version: result.pack.version,
      policies: result.pack.policies.length,
    },
    export: {
      file: result.file,
      version: result.export.version,
      stack: result.export.stack ?? null,
      project: result.export.project ?? null,
      pulumiVersion: result.export.engineVersion ?? null,
    },
    summary: {
      passed: result.passed,
      resourcesAudited: result.export.resources,
      resourcesSkipped: { ...result.export.skipped },
      resourcesWithViolations: result.resourcesWithFindings,
      violations: result.findings.length,
      ...result.counts,
    },
    results: result.findings.map((f) => ({
      ruleId: f.ruleId,
      level: f.level,
      message: f.message,
      urn: f.urn ?? null,
      type: f.type ?? null,
      name: f.name ?? null,
    })),
  };
}

export function formatJson(result: AuditResult): string {
  return JSON.stringify(jsonReport(result), null, 2) + "\n";
}
