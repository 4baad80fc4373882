import { scorePolicies } from './policy-scoring';

const policies = [
  { id: 'adult_nudity', modelInputs: [{ model: 'nsfwjs-mobilenetv2', outputs: ['Porn', 'Hentai', 'Sexy'] }] },
  { id: 'spam', modelInputs: [] },
];

describe('scorePolicies', () => {
  it('adds up the exclusive classes that feed a policy', () => {
    const scores = scorePolicies(policies, 'nsfwjs-mobilenetv2', { Porn: 0.5, Hentai: 0.1, Sexy: 0.2, Neutral: 0.2 });
    expect(scores.adult_nudity).toBeCloseTo(0.8);
    expect(scores).not.toHaveProperty('spam');
  });

  it('caps the sum at 1 against rounding', () => {
    expect(scorePolicies(policies, 'nsfwjs-mobilenetv2', { Porn: 0.7, Hentai: 0.2, Sexy: 0.100001 }).adult_nudity).toBe(1);
  });

  it('ignores other models', () => {
    expect(scorePolicies(policies, 'other-model', { Porn: 1 })).toEqual({});
  });
});
