// Side-effect import for policies/index.ts: let the policy SDK deserialise each request once and skip
// stack policies already evaluated with nothing to report (see ./sdk-hooks for why and how). Kept out
// of ./pack so tests never patch their own process.
import { installSdkHooks } from "./sdk-hooks";

installSdkHooks();
