import { checkLabels, outcomeOfLabels, sameLabels, withUnlabelledCleared } from './label-rules';

const policies = [
  { id: 'adult_nudity', nuances: [] },
  {
    id: 'eating_disorder_promotion',
    nuances: [
      { id: 'promotion', title: 'Promotion', violating: true },
      { id: 'recovery', title: 'Recovery', violating: false },
    ],
  },
];

describe('checkLabels', () => {
  it('accepts known policies and matching nuances', () => {
    expect(
      checkLabels(policies, [
        { policyId: 'adult_nudity', violating: false },
        { policyId: 'eating_disorder_promotion', violating: false, nuance: 'recovery' },
      ]),
    ).toEqual([]);
  });

  it.each([
    [[], /at least one/],
    [[{ policyId: 'nope', violating: true }], /unknown policy "nope"/],
    [[{ policyId: 'adult_nudity', violating: true }, { policyId: 'adult_nudity', violating: false }], /labelled twice/],
    [[{ policyId: 'eating_disorder_promotion', violating: true, nuance: 'diet' }], /no nuance "diet" \(known: promotion, recovery\)/],
    [[{ policyId: 'eating_disorder_promotion', violating: true, nuance: 'recovery' }], /is not violating/],
  ])('refuses %j', (labels, message) => {
    expect(checkLabels(policies, labels).join('; ')).toMatch(message);
  });
});

describe('outcomeOfLabels', () => {
  it('removes when any label is violating', () => {
    expect(outcomeOfLabels([{ policyId: 'a', violating: false }, { policyId: 'b', violating: true }])).toBe('removed');
    expect(outcomeOfLabels([{ policyId: 'a', violating: false }])).toBe('allowed');
  });
});

describe('sameLabels', () => {
  it('ignores order but not content', () => {
    const a = [{ policyId: 'a', violating: true }, { policyId: 'b', violating: false }];
    expect(sameLabels(a, [...a].reverse())).toBe(true);
    expect(sameLabels(a, [{ policyId: 'a', violating: true }, { policyId: 'b', violating: true }])).toBe(false);
  });
});

describe('withUnlabelledCleared', () => {
  it('reads every policy asked and left out as not violating, keeping what the moderator said', () => {
    const labels = [
      { policyId: 'adult_nudity', violating: true },
      { policyId: 'eating_disorder_promotion', violating: false, nuance: 'recovery' },
    ];
    expect(withUnlabelledCleared(labels, ['adult_nudity', 'eating_disorder_promotion', 'self_harm', 'self_harm'])).toEqual([
      ...labels,
      { policyId: 'self_harm', violating: false },
    ]);
  });

  it('changes nothing when every policy asked is labelled, so the outcome follows the labels as before', () => {
    const labels = [{ policyId: 'adult_nudity', violating: false }];
    expect(withUnlabelledCleared(labels, ['adult_nudity'])).toEqual(labels);
    expect(outcomeOfLabels(withUnlabelledCleared(labels, ['adult_nudity', 'self_harm']))).toBe('allowed');
  });
});
