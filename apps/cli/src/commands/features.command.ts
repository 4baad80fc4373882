import { Command } from 'commander';
import { ComputeModule } from '@loupe/compute';
import { AuditService } from '@loupe/domain/audit';
import { BackboneArtefactService, DatasetFiles, FeatureBackfillHandler, FeatureStore, ModelArtefacts, type FeatureBackfillRow } from '@loupe/domain/learning';
import { MediaModule } from '@loupe/media';
import { withCliContext } from '../cli-context';
import { progressBar } from '../progress';

// ModelArtefacts and BackboneArtefactService: the backbone embeds with the registered graph, as the server's does.
const BACKFILL = { imports: [MediaModule, ComputeModule], providers: [AuditService, DatasetFiles, FeatureStore, FeatureBackfillHandler, ModelArtefacts, BackboneArtefactService] };
/** The command line acts with the database's own access; the audit log records it as the system. */
const CLI_ACTOR = null;

function describeBackfill(backfill: FeatureBackfillRow): string {
  const seconds = backfill.startedAt && backfill.finishedAt ? ` in ${((backfill.finishedAt.getTime() - backfill.startedAt.getTime()) / 1000).toFixed(1)} s` : '';
  return [
    `backfill ${backfill.id}: ${backfill.status}${seconds}`,
    `${backfill.embedded} of ${backfill.total} items embedded with ${backfill.backbone}, ${backfill.skipped} skipped (no model input left)`,
    backfill.failedReason ?? '',
  ]
    .filter(Boolean)
    .join('\n');
}

export function featuresCommand(): Command {
  const features = new Command('features').description('Stored features of content items: image embeddings per backbone');
  features
    .command('backfill')
    .description(
      'Embed, in this process with a progress bar, every classified item that has no embedding from the current backbone (or one without mid_gem). Text features need none: they are computed from the text when read. One backfill at a time, here or through the API',
    )
    .action(async () => {
      const backfill = await withCliContext(BACKFILL, async (app) => {
        let bar: ReturnType<typeof progressBar> | undefined;
        try {
          return await app.get(FeatureBackfillHandler).runHere(CLI_ACTOR, (counts) => {
            bar ??= counts.total > 0 ? progressBar('features', counts.total, ' items') : undefined;
            bar?.update(counts.done);
          });
        } finally {
          bar?.stop();
        }
      });
      console.log(describeBackfill(backfill));
      if (backfill.status !== 'succeeded') process.exitCode = 1;
    });
  return features;
}
