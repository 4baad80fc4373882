import { servingSeries } from './serving-series';

describe('servingSeries', () => {
  it('lists each policy champion at a share of 1 and each challenger at its percent, for every policy it scores', () => {
    const versions = new Map([
      ['v-2', { modelName: 'heads', versionId: 'v-2', version: 2, artefactSha256: 'a', policies: ['adult_nudity', 'violence'] }],
      ['v-3', { modelName: 'heads', versionId: 'v-3', version: 3, artefactSha256: 'b', policies: ['adult_nudity'] }],
    ]);
    const state = {
      policies: { adult_nudity: { modelName: 'heads', versionId: 'v-2', version: 2 }, violence: { modelName: 'heads', versionId: 'v-2', version: 2 } },
      experiments: { heads: { modelName: 'heads', versionId: 'v-3', version: 3, mode: 'canary' as const, percent: 10 } },
    };
    expect(servingSeries({ state, versions })).toEqual([
      { labels: { model: 'heads', version: '2', policy: 'adult_nudity', role: 'champion' }, share: 1 },
      { labels: { model: 'heads', version: '2', policy: 'violence', role: 'champion' }, share: 1 },
      { labels: { model: 'heads', version: '3', policy: 'adult_nudity', role: 'canary' }, share: 0.1 },
    ]);
  });

  it('is empty while the baseline decides every policy', () => {
    expect(servingSeries({ state: { policies: {}, experiments: {} }, versions: new Map() })).toEqual([]);
  });
});
