import { defaultTrainingParams, effectiveParams, MIN_BATCHES_PER_EPOCH, newRun } from './training-params';

describe('effectiveParams', () => {
  const defaults = { ...defaultTrainingParams(30), batchSize: 128, validationShare: 0.1 };

  it('keeps the parameters on a large dataset', () => {
    expect(effectiveParams(defaults, 50_000)).toEqual(defaults);
  });

  it('turns early stopping off when the held-out slice would be a handful of rows', () => {
    expect(effectiveParams(defaults, 150).validationShare).toBe(0);
    expect(effectiveParams(defaults, 200).validationShare).toBe(0.1);
  });

  it('shrinks the batch so that a small dataset still takes several steps an epoch', () => {
    const small = effectiveParams(defaults, 40);
    expect(small.batchSize).toBe(5);
    expect(Math.ceil(40 / small.batchSize)).toBeGreaterThanOrEqual(MIN_BATCHES_PER_EPOCH);
    expect(effectiveParams(defaults, 3).batchSize).toBe(1);
  });
});

describe('newRun', () => {
  it('records the gates a run asks for, and refuses ones that cannot be checked', () => {
    const gates = [{ policy: '*', metric: 'prAuc' as const, greaterIsBetter: true, maxFall: 0.05 }];
    expect(newRun({ params: { gates } }, 30, null, 'manual').params).toMatchObject({ gates });
    expect(newRun({}, 30, null, 'manual').params).not.toHaveProperty('gates');
    for (const bad of [{ policy: '*', metric: 'prAuc' as const, greaterIsBetter: true }, { policy: '*', metric: 'prAuc' as const, greaterIsBetter: true, maxFall: Infinity }]) {
      expect(() => newRun({ params: { gates: [bad] } }, 30, null, 'manual')).toThrow(expect.objectContaining({ code: 'training.invalid_gates' }));
    }
  });
});
