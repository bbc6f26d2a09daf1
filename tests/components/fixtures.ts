// Shared arguments and a harness for the component tests. Import after tests/helpers/mocks (which
// installs the mock monitor) — `build` does so itself.

import * as pulumi from "@pulumi/pulumi";
import type { RecordedResource } from "../../cli/mocks";
import { MOCK_SUBSCRIPTION_ID, MOCK_TENANT_ID } from "../../cli/mocks";
import { captureWarnings, optionsRecorder, recorder, settle, type RecordedOptions } from "../helpers/mocks";
import type { ZeroTrustPostgresArgs } from "../../components";

export const RG = "rg-test";
export const RG_ID = `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${RG}`;
export const VNET_ID = `${RG_ID}/providers/Microsoft.Network/virtualNetworks/vnet-test`;
export const SUBNET_ID = `${VNET_ID}/subnets/private-endpoints`;
export const DELEGATED_SUBNET_ID = `${VNET_ID}/subnets/postgres`;
export const ACTION_GROUP_ID = `${RG_ID}/providers/Microsoft.Insights/actionGroups/oncall`;
export const WORKSPACE_ID = `${RG_ID}/providers/Microsoft.OperationalInsights/workspaces/central-logs`;
export const PG_ZONE_ID = `${RG_ID}/providers/Microsoft.Network/privateDnsZones/privatelink.postgres.database.azure.com`;
export const VAULT_ID = `${RG_ID}/providers/Microsoft.KeyVault/vaults/central-kv`;
export const GEO_VAULT_ID = `${RG_ID}/providers/Microsoft.KeyVault/vaults/central-geo-kv`;
export const KEY_URI = "https://central-kv.vault.azure.net/keys/pg-cmk";
export const GEO_KEY_URI = "https://central-geo-kv.vault.azure.net/keys/pg-cmk";
export const SOURCE_SERVER_ID = `${RG_ID}/providers/Microsoft.DBforPostgreSQL/flexibleServers/old-server`;
export const ADMIN_ID = "11111111-1111-4111-8111-111111111111";
export const TENANT_ID = MOCK_TENANT_ID;
export const ISSUER = "https://westeurope.oic.prod-aks.azure.com/tenant/cluster/";

/** The arguments of examples/private-endpoint, with plain ids instead of the example's own resources. */
export function defaultArgs(): ZeroTrustPostgresArgs {
  return {
    resourceGroupName: RG,
    location: "westeurope",
    tenantId: TENANT_ID,
    administrators: [{ objectId: ADMIN_ID, principalName: "pg-admins" }],
    personas: [
      { groupName: "pg-app-admins", objectId: "22222222-2222-4222-8222-222222222222", access: "admin" },
      { groupName: "pg-app-writers", objectId: "33333333-3333-4333-8333-333333333333", access: "writer" },
      { groupName: "pg-app-readers", objectId: "44444444-4444-4444-8444-444444444444", access: "reader" },
      { groupName: "pg-support", objectId: "55555555-5555-4555-8555-555555555555", access: "reader" },
    ],
    workloadIdentities: [
      {
        name: "orders",
        access: "writer",
        aks: { issuerUrl: ISSUER, namespace: "orders", serviceAccount: "orders-api" },
      },
    ],
    network: { privateEndpointSubnetResourceId: SUBNET_ID, linkedVirtualNetworkResourceIds: [VNET_ID] },
    monitoring: { actionGroupResourceId: ACTION_GROUP_ID, failedLoginThreshold: 10 },
    tags: { workload: "zero-trust-postgres" },
  };
}

/** Minimal valid arguments: one administrator and a private-endpoint subnet. */
export function minimalArgs(): ZeroTrustPostgresArgs {
  return {
    resourceGroupName: RG,
    location: "westeurope",
    tenantId: TENANT_ID,
    administrators: [{ objectId: ADMIN_ID, principalName: "pg-admins" }],
    network: { privateEndpointSubnetResourceId: SUBNET_ID, linkedVirtualNetworkResourceIds: [VNET_ID] },
  };
}

/** Minimal valid arguments in VNet-integration mode: a delegated subnet the component creates. */
export function minimalVnetArgs(): ZeroTrustPostgresArgs {
  return {
    ...minimalArgs(),
    network: {
      mode: "vnetIntegration",
      delegatedSubnetAddressPrefix: "10.20.2.0/28",
      keyVaultSubnetAddressPrefix: "10.20.3.0/29",
      virtualNetworkName: "vnet-test",
      linkedVirtualNetworkResourceIds: [VNET_ID],
    },
  };
}

/** What one construction registered. */
export interface Built {
  component: import("../../components").ZeroTrustPostgres;
  /** Mock registrations of this construction (component included). */
  resources: RecordedResource[];
  /** Resource options of this construction's children, from a transformation. */
  options: RecordedOptions[];
  warnings: string[];
  /** The one registration of `type` named `name`. */
  get(type: string, name: string): RecordedResource;
  /** Registrations of `type`. */
  ofType(type: string): RecordedResource[];
  /** Options of the resource named `name`. */
  opts(name: string): RecordedOptions;
}

/** Constructs the component, waits for every registration and returns what was recorded. */
export async function build(
  name: string,
  args: ZeroTrustPostgresArgs,
  extra?: pulumi.ComponentResourceOptions,
): Promise<Built> {
  const { ZeroTrustPostgres } = await import("../../components");
  const from = recorder.resources.length;
  const rec = optionsRecorder();
  const { result: component, warnings } = await captureWarnings(
    () => new ZeroTrustPostgres(name, args, { ...extra, transformations: [rec.transformation] }),
  );
  await settle();
  // Registrations of other tests running concurrently never happen (mocha runs tests serially), but
  // filter by URN prefix anyway so a stray registration cannot confuse an assertion.
  const resources = recorder.resources
    .slice(from)
    .filter((r) => r.name === name || r.name.startsWith(`${name}-`));
  return {
    component,
    resources,
    options: rec.records,
    warnings,
    get(type, n) {
      const hits = resources.filter((r) => r.type === type && r.name === n);
      if (hits.length !== 1) throw new Error(`expected one ${type} named ${n}, found ${hits.length}`);
      return hits[0];
    },
    ofType(type) {
      return resources.filter((r) => r.type === type);
    },
    opts(n) {
      const hits = rec.records.filter((r) => r.name === n);
      if (hits.length !== 1)
        throw new Error(`expected options for one resource named ${n}, found ${hits.length}`);
      return hits[0];
    },
  };
}

/** Counts registrations while `fn` runs (to prove a refused input registers nothing). */
export async function registrationsDuring(fn: () => unknown): Promise<{ count: number; error: unknown }> {
  const from = recorder.resources.length;
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  await settle();
  return { count: recorder.resources.length - from, error };
}

/** A deep copy of `args` with `mutate` applied. */
export function tweak(
  base: ZeroTrustPostgresArgs,
  mutate: (a: ZeroTrustPostgresArgs) => void,
): ZeroTrustPostgresArgs {
  const copy = structuredClone(base);
  mutate(copy);
  return copy;
}
