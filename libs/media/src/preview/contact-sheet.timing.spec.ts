import { pickNearestFrames, planSpreadSampling, spreadFrameTimes } from './contact-sheet.timing';

describe('spreadFrameTimes', () => {
  it('takes the middle of equal slices, never the first or last instant', () => {
    expect(spreadFrameTimes(9, 9)).toEqual([0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5]);
    expect(spreadFrameTimes(4, 1)).toEqual([2]);
    const times = spreadFrameTimes(1, 9);
    expect(times[0]).toBeGreaterThan(0);
    expect(times[8]).toBeLessThan(1);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeCloseTo(1 / 9, 12);
  });

  it('rejects empty durations and counts', () => {
    expect(() => spreadFrameTimes(0, 3)).toThrow(RangeError);
    expect(() => spreadFrameTimes(3, 0)).toThrow(RangeError);
    expect(() => spreadFrameTimes(3, 1.5)).toThrow(RangeError);
  });
});

describe('planSpreadSampling', () => {
  it('samples a long video sparsely and stops after the last wanted time', () => {
    const plan = planSpreadSampling({ duration: 3600, frameRate: 30, frameCount: 108_000, frames: 9 });
    expect(plan.count).toBe(9);
    expect(plan.interval).toBe(6000);
    expect(plan.fps).toBeCloseTo(30 / 6000, 12);
    // About two sampled frames per tile, not 108 000 frames.
    expect(plan.maxFrames).toBeLessThanOrEqual(2 * 9 + 2);
    expect((plan.maxFrames - 1) * plan.interval).toBeGreaterThanOrEqual(plan.targets[8] * 30);
  });

  it('takes every frame of a short video and asks for no more tiles than frames', () => {
    expect(planSpreadSampling({ duration: 1, frameRate: 25, frameCount: 25, frames: 9 })).toMatchObject({ count: 9, interval: 1, fps: 25 });
    expect(planSpreadSampling({ duration: 0.2, frameRate: 25, frameCount: 5, frames: 9 })).toMatchObject({ count: 5, interval: 1 });
    expect(planSpreadSampling({ duration: 0.2, frameRate: 25, frameCount: null, frames: 9 })).toMatchObject({ count: 5 });
  });
});

describe('pickNearestFrames', () => {
  it('picks the candidate closest to each target', () => {
    const timestamps = [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5];
    expect(pickNearestFrames(timestamps, [0.6, 1.9, 3.4])).toEqual([1, 4, 7]);
  });

  it('never picks a candidate twice, even when targets crowd one candidate', () => {
    const picks = pickNearestFrames([0, 1, 2, 3, 10], [2.9, 3, 3.1]);
    expect(picks).toEqual([2, 3, 4]);
  });

  it('uses every candidate once when there are fewer than targets', () => {
    expect(pickNearestFrames([0, 0.04, 0.08], [0.1, 0.2, 0.3, 0.4])).toEqual([0, 1, 2]);
    expect(pickNearestFrames([], [1])).toEqual([]);
  });

  it('gives each spread target a frame within a quarter of the spacing on the planned grid', () => {
    const plan = planSpreadSampling({ duration: 40, frameRate: 25, frameCount: 1000, frames: 9 });
    const timestamps = Array.from({ length: plan.maxFrames }, (_, i) => (i * plan.interval) / 25);
    const picks = pickNearestFrames(timestamps, plan.targets);
    expect(picks).toHaveLength(9);
    picks.forEach((pick, j) => expect(Math.abs(timestamps[pick] - plan.targets[j])).toBeLessThanOrEqual(40 / 9 / 4 + 1e-9));
  });
});
