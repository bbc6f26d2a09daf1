// Pulumi's in-process mock monitor with realistic, ARM-shaped outputs (cli/mock-azure.ts), for the
// unit tests. `newResource` records every registration and answers with the outputs Azure would
// return; `call` only answers the functions the component uses and throws for anything else, so a test
// never silently depends on an unmocked invoke. The offline preview does not use this: it runs the
// program through Pulumi's own runner against cli/program/engine.ts, which answers from the same data.

import * as pulumi from "@pulumi/pulumi";

import { mockCall, mockState, SECRET_OUTPUTS } from "./mock-azure";

export {
  MOCK_SUBSCRIPTION_ID,
  MOCK_TENANT_ID,
  mockArmId,
  mockGuid,
  mockCall,
  mockState,
  type RecordedResource,
} from "./mock-azure";
import type { RecordedResource } from "./mock-azure";

/** `mockState` with the outputs Azure returns as secrets wrapped in `pulumi.secret`. */
export function mockOutputs(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const out = mockState(type, name, inputs);
  for (const key of SECRET_OUTPUTS[type] ?? []) if (key in out) out[key] = pulumi.secret(out[key]);
  return out;
}

export interface MockRecorder {
  resources: RecordedResource[];
  reset(): void;
}

/**
 * Installs the mock monitor. Call before importing anything that creates resources.
 * Returns a recorder whose `resources` grows with each registration.
 */
export function installMocks(project = "zt-postgres", stack = "dev"): MockRecorder {
  const recorder: MockRecorder = {
    resources: [],
    reset() {
      recorder.resources.length = 0;
    },
  };
  pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        const state = mockOutputs(args.type, args.name, args.inputs);
        const id = String(state.id);
        recorder.resources.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs,
          id,
          urn: `urn:pulumi:${stack}::${project}::${args.type}::${args.name}`,
          provider: args.provider,
        });
        return { id, state };
      },
      call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        return mockCall(args.token);
      },
    },
    project,
    stack,
    true,
  );
  return recorder;
}
