import path from 'node:path';
import { haveSharedData, SHARED_DIR } from './shared-data';

describe('tests that read ../shared', () => {
  const ci = process.env.CI;
  const missing = path.join(SHARED_DIR, 'no-such-file.tsv');
  afterEach(() => {
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
  });

  it('fail under CI=true when the data is missing, since CI always has it', () => {
    process.env.CI = 'true';
    expect(() => haveSharedData(missing, 'a check')).toThrow(/CI always has it/);
  });

  it('skip with a message in a clone without it', () => {
    delete process.env.CI;
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(haveSharedData(missing, 'a check')).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('skipping'));
    warn.mockRestore();
  });

  it('run when the file is there', () => {
    process.env.CI = 'true';
    expect(haveSharedData(__filename, 'a check')).toBe(true);
  });
});
