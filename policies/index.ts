// The CrossGuard pack: `pulumi preview --policy-pack policies`. Only the PolicyPack lives here; the
// rules are in ./rules and the adapter in ./pack, so tests never construct this (it starts a gRPC server).
import { PolicyPack } from "@pulumi/policy";

import { toPolicies } from "./pack";
import { RULES } from "./rules";

new PolicyPack("zero-trust-azure-postgres", { policies: toPolicies(RULES) });
