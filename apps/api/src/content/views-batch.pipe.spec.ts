import { ApiError } from '@loupe/common';
import { parseViewsBatch } from './views-batch.pipe';

const ID = '3b89dccf-cfa6-489f-9384-06bf31bd2acc';
const fieldsOf = (body: unknown): string[] => {
  try {
    parseViewsBatch(body);
  } catch (error) {
    return ((error as ApiError).details!.fields as Array<{ field: string }>).map((f) => f.field);
  }
  return [];
};

describe('parseViewsBatch', () => {
  it('reads events, defaulting the time to now', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    expect(parseViewsBatch({ events: [{ contentId: ID, views: 5, shares: 1, observedAt: '2026-11-30T23:00:00Z' }, { contentId: ID, views: 6 }] }, now)).toEqual([
      { contentId: ID, views: 5, shares: 1, reports: undefined, observedAt: new Date('2026-11-30T23:00:00Z') },
      { contentId: ID, views: 6, shares: undefined, reports: undefined, observedAt: now },
    ]);
    expect(parseViewsBatch({ events: [] })).toEqual([]);
  });

  it('names every bad field by its place in the batch', () => {
    expect(fieldsOf({ events: [{ contentId: ID, views: 1 }, { contentId: 'nope', views: -1, shares: 1.5, observedAt: 'yesterday' }] })).toEqual([
      'events.1.contentId',
      'events.1.views',
      'events.1.shares',
      'events.1.observedAt',
    ]);
    expect(fieldsOf({ events: [{ contentId: ID, views: '3' }] })).toEqual(['events.0.views']);
    expect(fieldsOf({ events: 'all' })).toEqual(['events']);
    expect(fieldsOf([])).toEqual(['body']);
    expect(fieldsOf({ events: [null] })).toEqual(['events.0']);
  });

  it('refuses unknown fields with their own code', () => {
    try {
      parseViewsBatch({ events: [{ contentId: ID, views: 1, likes: 3 }] });
      throw new Error('accepted');
    } catch (error) {
      expect((error as ApiError).code).toBe('request.unknown_field');
    }
  });
});
