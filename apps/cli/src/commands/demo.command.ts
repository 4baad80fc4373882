import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { PROJECT_ROOT } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { SampleHistoryModule, SampleHistoryService } from '@loupe/domain/demo';
import { withCliContext } from '../cli-context';
import { formatSummary, readBackSampleHistory } from '../demo/sample-history.readback';
import { SAMPLE_HISTORY_STEPS, SampleHistoryScenario } from '../demo/sample-history.scenario';
import { progressBar } from '../progress';

const BORDERLINE_IMAGE = path.join(PROJECT_ROOT, 'test/fixtures/borderline-adult-nudity.png');

/**
 * The admin key: --admin-key or LOUPE_ADMIN_KEY (commander reads it), else
 * the one the server generated into DATA_DIR/admin.key.
 */
function adminKeyOf(given: string | undefined, config: LoupeConfig): string {
  if (given) return given;
  if (config.auth.adminKey) return config.auth.adminKey;
  if (existsSync(config.auth.adminKeyFile)) return readFileSync(config.auth.adminKeyFile, 'utf8').trim();
  throw new Error(`No admin key: pass --admin-key, set LOUPE_ADMIN_KEY, or run where ${config.auth.adminKeyFile} exists`);
}

/** `loupe demo history`: a sample history for analysts, loaded into a running Loupe. */
export function demoCommand(): Command {
  const demo = new Command('demo').description('Sample data for trying Loupe');
  demo
    .command('history')
    .description(
      'Load a sample history into a running Loupe through its HTTP API (uploads, views, reports, decisions, gold, a bank, an appeal), ' +
        'move its trend stream back to the hours it simulates (in the database: PostgreSQL, shared with the server), run the trend scan, ' +
        "make the weakest moderator's training pack, and print an analyst key. For a fresh database",
    )
    .addOption(new Option('--url <url>', "the server's address (default: http://HOST:PORT from the configuration)").env('LOUPE_URL'))
    .addOption(new Option('--admin-key <key>', 'an admin API key (default: DATA_DIR/admin.key)').env('LOUPE_ADMIN_KEY'))
    .action(async (options: { url?: string; adminKey?: string }) => {
      const config = LoupeConfig.fromEnv(process.env, 'cli');
      // The trend stream is moved back in the database the server uses. An
      // embedded database belongs to the server's process (data/db.lock), so
      // the sample needs both on one PostgreSQL database.
      if (config.database.kind !== 'postgres') {
        throw new Error(
          'loupe demo history needs the server and this command on one PostgreSQL database: set DATABASE_URL for both ' +
            '(the embedded database belongs to the server process while it runs). See the README, "An analyst\'s walk-through".',
        );
      }
      const host = config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host;
      const url = (options.url ?? `http://${host}:${config.http.port}`).replace(/\/+$/, '');
      const bar = progressBar('sample history', SAMPLE_HISTORY_STEPS, ' steps');
      let summary;
      try {
        const record = await new SampleHistoryScenario({
          url,
          adminKey: adminKeyOf(options.adminKey, config),
          borderlineImage: BORDERLINE_IMAGE,
          moveUploadTimes: (moves) => withCliContext({ imports: [SampleHistoryModule] }, (app) => app.get(SampleHistoryService).moveUploadTimes(moves)),
          progress: (done) => bar.update(done),
        }).run();
        summary = await readBackSampleHistory(url, record);
        bar.update(SAMPLE_HISTORY_STEPS);
      } finally {
        bar.stop();
      }
      console.log(formatSummary(summary));
    });
  return demo;
}
