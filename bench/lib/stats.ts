// Summary statistics for benchmark samples. Every reported figure is the median of its runs, shown
// with the min and max, and comparisons are ratios of medians taken in the same run.

export interface Summary {
  /** Number of samples. */
  n: number;
  median: number;
  min: number;
  max: number;
  mean: number;
}

/** The median: the middle sample, or the mean of the two middle samples for an even count. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error("median of no samples");
  const s = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error("summary of no samples");
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const x of samples) {
    if (!Number.isFinite(x)) throw new Error(`not a finite sample: ${x}`);
    min = Math.min(min, x);
    max = Math.max(max, x);
    sum += x;
  }
  return { n: samples.length, median: median(samples), min, max, mean: sum / samples.length };
}

/** `a / b` on medians, the way every comparison is reported. */
export function ratio(a: Summary, b: Summary): number {
  if (b.median === 0) throw new Error("ratio to a zero median");
  return a.median / b.median;
}

/** Milliseconds since `start` (from `process.hrtime.bigint()`). */
export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** "123 ms (118–131)", scaled to a readable unit. */
export function fmtMs(s: Summary): string {
  return `${fmtNumber(s.median, "ms")} (${fmtNumber(s.min, "ms")}–${fmtNumber(s.max, "ms")})`;
}

/** "142 MiB (141–144)" from KiB samples. */
export function fmtKiB(s: Summary): string {
  const mib = (k: number) => (k / 1024).toFixed(k < 10 * 1024 ? 1 : 0);
  return `${mib(s.median)} MiB (${mib(s.min)}–${mib(s.max)})`;
}

function fmtNumber(ms: number, _unit: "ms"): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  return `${(ms * 1000).toFixed(0)} µs`;
}
