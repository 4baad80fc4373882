import type { ActiveWatchRecord } from '@loupe/database';
import { matchWatch } from './trend-watches';

const watch = (subject: string, until = '2026-12-05T00:00:00Z', alertId = 'a1'): ActiveWatchRecord => ({ alertId, subject, policyId: 'dangerous_acts', queueId: `trend-${alertId}`, until: new Date(until) });
const now = new Date('2026-12-03T12:00:00Z');

describe('matchWatch', () => {
  it('matches a watched hashtag in the hashtags or the caption, however it is written', () => {
    const watches = [watch('#glowstarchallenge')];
    expect(matchWatch(watches, { hashtags: ['GlowStarChallenge', 'fyp'], caption: null }, now)?.alertId).toBe('a1');
    expect(matchWatch(watches, { hashtags: [], caption: 'trying the #glowstarchallenge tonight' }, now)?.alertId).toBe('a1');
    expect(matchWatch(watches, { hashtags: ['glowstar'], caption: 'a glow star challenge' }, now)).toBeNull();
  });

  it('matches a watched caption word, and the oldest watch first', () => {
    const watches = [watch('rooftop', undefined, 'old'), watch('#rooftop', undefined, 'new')];
    expect(matchWatch(watches, { hashtags: ['rooftop'], caption: 'rooftop edition' }, now)?.alertId).toBe('old');
    expect(matchWatch(watches, { hashtags: ['rooftop'], caption: null }, now)?.alertId).toBe('new');
  });

  it('lets an ended watch go', () => {
    expect(matchWatch([watch('#burst', '2026-12-03T11:59:59Z')], { hashtags: ['burst'], caption: null }, now)).toBeNull();
    expect(matchWatch([], { hashtags: ['burst'], caption: null }, now)).toBeNull();
  });
});
