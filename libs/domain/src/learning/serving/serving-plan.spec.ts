import { randomUUID } from 'node:crypto';
import type { ServingState } from '@loupe/vocabulary';
import { planHeads, ServableVersion, stableBucket } from './serving-plan';

const version = (name: string, n: number, policies: string[]): ServableVersion => ({ modelName: name, versionId: `${name}-${n}`, version: n, artefactSha256: `${name}${n}`, policies });
const v1 = version('heads', 1, ['hate_symbols', 'spam']);
const v2 = version('heads', 2, ['hate_symbols', 'spam', 'violence']);
const versions = new Map([v1, v2].map((v) => [v.versionId, v]));
const served = (v: ServableVersion) => ({ modelName: v.modelName, versionId: v.versionId, version: v.version });

describe('planHeads', () => {
  const champion: ServingState = { policies: { hate_symbols: served(v1), spam: served(v1) }, experiments: {} };

  it('runs each champion once, deciding its policies', () => {
    expect(planHeads(champion, versions, 'c1')).toEqual([{ version: v1, role: 'champion', decides: ['hate_symbols', 'spam'] }]);
  });

  it('runs a shadow beside the champion, deciding nothing', () => {
    const state = { ...champion, experiments: { heads: { ...served(v2), mode: 'shadow' as const, percent: 100 } } };
    expect(planHeads(state, versions, 'c1')).toEqual([
      { version: v1, role: 'champion', decides: ['hate_symbols', 'spam'] },
      { version: v2, role: 'shadow', decides: [] },
    ]);
  });

  it("hands a canary's share to the challenger, with the champion still scoring beside", () => {
    const state = { ...champion, experiments: { heads: { ...served(v2), mode: 'canary' as const, percent: 30 } } };
    let inCanary = 0;
    const items = 2000;
    for (let i = 0; i < items; i++) {
      const plan = planHeads(state, versions, randomUUID());
      const canary = plan.find((p) => p.role === 'canary');
      if (canary) {
        inCanary++;
        expect(plan).toEqual([
          { version: v1, role: 'champion', decides: [] },
          { version: v2, role: 'canary', decides: ['hate_symbols', 'spam', 'violence'] },
        ]);
      } else {
        expect(plan).toEqual([{ version: v1, role: 'champion', decides: ['hate_symbols', 'spam'] }]);
      }
    }
    // 30% of 2000, within five standard deviations (about 2 points).
    expect(Math.abs((100 * inCanary) / items - 30)).toBeLessThan(5);
  });

  it('puts an item in the same arm every time', () => {
    const id = randomUUID();
    expect(stableBucket(id)).toBe(stableBucket(id));
    expect(stableBucket(id)).toBeGreaterThanOrEqual(0);
    expect(stableBucket(id)).toBeLessThan(100);
  });

  it('skips a version it does not know (its row is not loaded yet) rather than failing', () => {
    expect(planHeads({ policies: { spam: { modelName: 'x', versionId: 'gone', version: 9 } }, experiments: {} }, versions, 'c1')).toEqual([]);
  });
});
