/**
 * The page-load benchmark's arithmetic (bench/tti.ts): time to interactive from the ready moment and the long
 * tasks, and the nearest-rank percentiles its rows report.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { distribution, interactiveAt, percentile } from '../../bench/tti.ts';

describe('time to interactive', () => {
  test('with no long task the page is interactive when it says it is ready', () => {
    assert.equal(interactiveAt(800, []), 800);
  });

  test('long tasks that ended before the ready moment do not count', () => {
    assert.equal(
      interactiveAt(800, [
        { start: 100, duration: 300 },
        { start: 500, duration: 300 },
      ]),
      800,
    );
  });

  test('a long task running at the ready moment pushes it to the end of that task', () => {
    assert.equal(interactiveAt(800, [{ start: 700, duration: 250 }]), 950);
  });

  test('a long task starting within 500 ms after it pushes it again; one starting later does not', () => {
    const tasks = [
      { start: 1200, duration: 100 }, // 400 ms after ready: TTI moves to 1300
      { start: 1700, duration: 60 }, // 400 ms after that: TTI moves to 1760
      { start: 2260, duration: 80 }, // exactly 500 ms of quiet before it: TTI stays
    ];
    assert.equal(interactiveAt(800, tasks), 1760);
  });

  test('the order the long tasks were reported in does not matter', () => {
    const tasks = [
      { start: 1700, duration: 60 },
      { start: 700, duration: 250 },
      { start: 1200, duration: 100 },
    ];
    assert.equal(interactiveAt(800, tasks), 1760);
  });

  test('the quiet window can be set', () => {
    assert.equal(interactiveAt(800, [{ start: 1200, duration: 100 }], 300), 800);
  });
});

describe('percentiles', () => {
  const ten = [120, 100, 190, 110, 130, 170, 150, 140, 160, 180];

  test('nearest rank: p50 of ten is the fifth smallest, p95 and above the largest', () => {
    assert.equal(percentile(ten, 50), 140);
    assert.equal(percentile(ten, 90), 180);
    assert.equal(percentile(ten, 95), 190);
    assert.deepEqual(distribution(ten), { p50: 140, p95: 190, p97_5: 190, p99: 190, max: 190 });
  });

  test('one value is every percentile; no value is none (NaN, shown as "—")', () => {
    assert.deepEqual(distribution([42]), { p50: 42, p95: 42, p97_5: 42, p99: 42, max: 42 });
    const none = distribution([]);
    for (const value of Object.values(none)) assert.ok(Number.isNaN(value));
  });
});
