import * as assert from "node:assert/strict";

import { median, ratio, summarize } from "../../bench/lib/stats";

describe("bench stats", () => {
  it("takes the middle sample of an odd count, unsorted input", () => {
    assert.equal(median([5, 1, 3]), 3);
  });

  it("averages the two middle samples of an even count", () => {
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });

  it("does not reorder the caller's samples", () => {
    const xs = [3, 1, 2];
    median(xs);
    assert.deepEqual(xs, [3, 1, 2]);
  });

  it("summarizes n, median, min, max and mean", () => {
    assert.deepEqual(summarize([10, 30, 20, 40, 1000]), { n: 5, median: 30, min: 10, max: 1000, mean: 220 });
  });

  it("refuses an empty sample set and non-finite samples", () => {
    assert.throws(() => median([]), /no samples/);
    assert.throws(() => summarize([1, Number.NaN]), /finite/);
  });

  it("reports ratios of medians", () => {
    assert.equal(ratio(summarize([1, 2, 30]), summarize([1, 1, 1])), 2);
    assert.throws(() => ratio(summarize([1]), summarize([0])), /zero median/);
  });
});
