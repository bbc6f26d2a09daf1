// Side-effect import for policies/index.ts: let the policy SDK deserialise each resource once per
// request, and let its AnalyzeStack loop work on a one-resource stand-in while the stack rules read
// views built straight from the request (see ./sdk-hooks for why and how). Kept out of ./pack so tests
// never patch their own process by importing it.
import { installSdkHooks } from "./sdk-hooks";

installSdkHooks();
