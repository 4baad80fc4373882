import { dsaBatches, dsaBatchesAsync, DsaExportError } from './dsa-batch';
import { buildDsaStatement, DsaStatement } from './dsa-statement';
import { validateDsaBatch } from './dsa-validate';

function statements(n: number): DsaStatement[] {
  return Array.from({ length: n }, (_, i) =>
    buildDsaStatement({
      contentId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      contentKind: i % 2 === 0 ? 'image' : 'video',
      contentCreatedAt: new Date('2026-01-01T00:00:00Z'),
      decidedAt: new Date('2026-01-02T00:00:00Z'),
      decidedBy: i % 3 === 0 ? { source: 'hash' } : { source: 'human', caseSource: 'report' },
      policies: [{ id: 'spam', title: 'Spam and platform manipulation' }],
      region: i % 2 === 0 ? 'FR' : 'US',
      facts: `Removal ${i}.`,
    }),
  );
}

describe('dsaBatches', () => {
  it('splits 250 statements into 100, 100 and 50, in order, each a payload the batch endpoint takes', () => {
    const all = statements(250);
    const batches = [...dsaBatches(all)];
    expect(batches.map((b) => b.statements.length)).toEqual([100, 100, 50]);
    expect(batches.flatMap((b) => b.statements)).toEqual(all);
    for (const batch of batches) expect(validateDsaBatch(JSON.parse(JSON.stringify(batch)))).toEqual([]);
  });

  it('takes a smaller size, and yields nothing for nothing', () => {
    expect([...dsaBatches(statements(5), 2)].map((b) => b.statements.length)).toEqual([2, 2, 1]);
    expect([...dsaBatches(statements(100))].map((b) => b.statements.length)).toEqual([100]);
    expect([...dsaBatches([])]).toEqual([]);
  });

  it('refuses a size the endpoint would not take', () => {
    for (const size of [0, 101, 2.5]) {
      expect(() => [...dsaBatches(statements(1), size)]).toThrow(expect.objectContaining({ code: 'dsa.batch_size' }));
    }
    expect(() => [...dsaBatches([], 0)]).toThrow(DsaExportError);
  });
});

describe('dsaBatchesAsync', () => {
  it('batches a stream the same way', async () => {
    async function* stream(): AsyncGenerator<DsaStatement> {
      yield* statements(250);
    }
    const sizes: number[] = [];
    for await (const batch of dsaBatchesAsync(stream())) sizes.push(batch.statements.length);
    expect(sizes).toEqual([100, 100, 50]);
  });
});
