import path from 'node:path';
import { PROJECT_ROOT } from '@loupe/common';
import { loadPolicyCatalog, parsePolicyCatalog } from './policy-catalog.loader';

describe('the policy catalog', () => {
  it('ships the seed policies, with the nudity model mapping and the recovery nuance', async () => {
    const catalog = await loadPolicyCatalog(path.join(PROJECT_ROOT, 'config/policy-catalog.yaml'));
    expect(catalog.policies.map((p) => p.id).sort()).toEqual(
      ['adult_nudity', 'dangerous_acts', 'eating_disorder_promotion', 'graphic_violence', 'harassment', 'hate_symbols', 'minor_safety', 'self_harm', 'spam'],
    );
    const nudity = catalog.policies.find((p) => p.id === 'adult_nudity')!;
    expect(nudity.modelInputs).toEqual([{ model: 'nsfwjs-mobilenetv2', outputs: ['Porn', 'Hentai', 'Sexy'] }]);
    const ed = catalog.policies.find((p) => p.id === 'eating_disorder_promotion')!;
    expect(ed.nuances).toContainEqual({ id: 'recovery', title: expect.any(String), violating: false });
    expect(catalog.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['a threshold out of range', 'version: 1\npolicies:\n  - {id: a, title: A, description: d, severity: low, thresholds: {review: 0.5, remove: 1.5}}', /remove/],
    ['inverted thresholds', 'version: 1\npolicies:\n  - {id: a, title: A, description: d, severity: low, thresholds: {review: 0.9, remove: 0.5}}', /above the remove/],
    ['an unknown severity', 'version: 1\npolicies:\n  - {id: a, title: A, description: d, severity: extreme, thresholds: {review: 0.5, remove: 0.9}}', /severity/],
    ['a duplicate id', 'version: 1\npolicies:\n  - {id: a, title: A, description: d, severity: low, thresholds: {review: 0.5, remove: 0.9}}\n  - {id: a, title: B, description: d, severity: low, thresholds: {review: 0.5, remove: 0.9}}', /duplicate policy ids: a/],
    ['a missing version', 'policies: []', /version/],
  ])('refuses %s', (_name, text, message) => {
    expect(() => parsePolicyCatalog(text, 'test.yaml')).toThrow(message);
  });
});
