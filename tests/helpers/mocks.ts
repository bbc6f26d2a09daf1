// Test harness over cli/mocks.ts: installs the shared mock monitor once per process (import this
// module before the component), records every resource's options through a transformation (type,
// name, parent, dependsOn, protect, replaceOnChanges…), and offers helpers to wait for registrations
// and read outputs.

import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { installMocks, type MockRecorder, type RecordedResource } from "../../cli/mocks";

/** The mock monitor's recorder: every `newResource` call with its inputs. */
export const recorder: MockRecorder = installMocks("zt-postgres-test", "test");

/** The resource options a child was constructed with, with resources reduced to their names. */
export interface RecordedOptions {
  type: string;
  name: string;
  /** Name of the parent resource, if any. */
  parent?: string;
  /** Names of the explicit `dependsOn` resources. */
  dependsOn: string[];
  protect?: boolean;
  replaceOnChanges?: string[];
  ignoreChanges?: string[];
  deleteBeforeReplace?: boolean;
  additionalSecretOutputs?: string[];
  aliases?: unknown[];
  resource: pulumi.Resource;
}

/** Pulumi keeps the logical name on every resource (internal `__name`). */
export function nameOf(r: unknown): string {
  return String((r as { __name?: string }).__name);
}

/** A transformation that records each resource's options; pass it in the component's `transformations`. */
export function optionsRecorder(): {
  transformation: pulumi.ResourceTransformation;
  records: RecordedOptions[];
} {
  const records: RecordedOptions[] = [];
  const transformation: pulumi.ResourceTransformation = (args) => {
    const deps = args.opts.dependsOn;
    const list = deps === undefined ? [] : Array.isArray(deps) ? deps : [deps];
    const opts = args.opts as pulumi.CustomResourceOptions;
    records.push({
      type: args.type,
      name: args.name,
      parent: args.opts.parent ? nameOf(args.opts.parent) : undefined,
      dependsOn: list.map((d) => nameOf(d)),
      protect: args.opts.protect,
      replaceOnChanges: args.opts.replaceOnChanges,
      ignoreChanges: args.opts.ignoreChanges,
      deleteBeforeReplace: opts.deleteBeforeReplace,
      additionalSecretOutputs: opts.additionalSecretOutputs,
      aliases: args.opts.aliases as unknown[] | undefined,
      resource: args.resource,
    });
    return undefined;
  };
  return { transformation, records };
}

/** Waits until every outstanding resource registration has reached the mock monitor. */
export async function settle(): Promise<void> {
  // waitForRPCs is @internal in the SDK's typings but exported at run time (the CLI preview uses it too).
  await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

/** The value of an output (rejects when the output failed, e.g. a gated validation). */
export function promiseOf<T>(o: pulumi.Output<T>): Promise<T> {
  return (o as unknown as { promise(): Promise<T> }).promise();
}

/** Registrations recorded since `from` (an index into `recorder.resources`). */
export function since(from: number): RecordedResource[] {
  return recorder.resources.slice(from);
}

/** The one recorded registration named `name`; throws when absent or ambiguous. */
export function byName(resources: RecordedResource[], name: string): RecordedResource {
  const hits = resources.filter((r) => r.name === name);
  if (hits.length !== 1) throw new Error(`expected one resource named ${name}, found ${hits.length}`);
  return hits[0];
}

/** Captures `pulumi.log.warn` messages while `fn` runs (the mock has no engine to log to). */
export async function captureWarnings<T>(
  fn: () => T | Promise<T>,
): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const original = pulumi.log.warn;
  (pulumi.log as { warn: (msg: string) => Promise<void> }).warn = (msg: string) => {
    warnings.push(msg);
    return Promise.resolve();
  };
  try {
    const result = await fn();
    return { result, warnings };
  } finally {
    (pulumi.log as { warn: typeof original }).warn = original;
  }
}
