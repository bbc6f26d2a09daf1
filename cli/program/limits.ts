// Limits of the offline preview that the command line exposes.

/** Default `--timeout`, in seconds: a type-checked run of the largest example takes about 30 s. */
export const DEFAULT_TIMEOUT_SECONDS = 300;
