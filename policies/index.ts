// The CrossGuard pack: `pulumi preview --policy-pack policies`, and what `pulumi policy publish` packs
// from this folder. Only the PolicyPack lives here; the rules are in ./rules, the adapter in ./pack and
// the configurable class in ./api, so tests never construct this (it starts a gRPC server).
import { ZeroTrustPostgresPolicies } from "./api";

new ZeroTrustPostgresPolicies();
