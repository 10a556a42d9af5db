/** Small statistics for benchmark rounds: medians and ranges, never a single noisy number. */
export interface Range {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  const a = sorted[low] ?? Number.NaN;
  const b = sorted[high] ?? Number.NaN;
  return a + (b - a) * (at - low);
}

export function range(values: readonly number[]): Range {
  return { median: quantile(values, 0.5), min: Math.min(...values), max: Math.max(...values) };
}

/** Ratios of paired rounds (ours / baseline, each round measured side by side). */
export function ratios(ours: readonly number[], baseline: readonly number[]): Range {
  return range(ours.map((value, i) => value / (baseline[i] ?? Number.NaN)));
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
