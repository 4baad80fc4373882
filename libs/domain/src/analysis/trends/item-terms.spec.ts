import { itemTerms, termKind } from './item-terms';

describe('itemTerms', () => {
  it('counts hashtags as #tag and caption words once each', () => {
    expect(itemTerms(['Summer', '#beach'], 'Sunny sunny day at the BEACH, 2026 #Summer #sale')).toEqual(['#summer', '#beach', '#sale', 'sunny', 'day', 'beach']);
  });

  it('drops stop words, numbers and very short or long words', () => {
    expect(itemTerms([], `the and 12345 ok ${'x'.repeat(41)} kitten`)).toEqual(['kitten']);
  });

  it('can leave captions out', () => {
    expect(itemTerms(['a'], 'kitten', { captions: false })).toEqual(['#a']);
    expect(itemTerms([], null)).toEqual([]);
  });

  it('tells hashtags from caption words', () => {
    expect([termKind('#x'), termKind('x')]).toEqual(['hashtag', 'caption']);
  });
});
