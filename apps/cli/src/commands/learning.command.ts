import { Command, InvalidArgumentError } from 'commander';
import { ComputeModule } from '@loupe/compute';
import { LoupeConfig } from '@loupe/config';
import { AuditService } from '@loupe/domain/audit';
import {
  BackboneArtefactService,
  CandidateEvaluator,
  DatasetFiles,
  DatasetService,
  ExperimentReportService,
  FeatureStore,
  ModelArtefacts,
  ModelRegistryService,
  newRun,
  ServingStateService,
  TrainingHandler,
  type TrainingRunRow,
} from '@loupe/domain/learning';
import { PolicyModule } from '@loupe/domain/policy';
import { MediaModule } from '@loupe/media';
import { withCliContext } from '../cli-context';
import { progressBar } from '../progress';
import { formatExperimentReport } from './experiment-report.format';

const REGISTRY = { imports: [PolicyModule], providers: [AuditService, ModelArtefacts, ServingStateService, ModelRegistryService, ExperimentReportService] };
const TRAINING = {
  imports: [PolicyModule, MediaModule, ComputeModule],
  // BackboneArtefactService: features computed here embed with the registered backbone graph, as the server's do.
  providers: [...REGISTRY.providers, DatasetFiles, DatasetService, FeatureStore, CandidateEvaluator, TrainingHandler, BackboneArtefactService],
};
/** The command line acts with the database's own access; the audit log records it as the system. */
const CLI_ACTOR = null;

const integer = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
};

function describeRun(run: TrainingRunRow): string {
  const seconds = run.startedAt && run.finishedAt ? ` in ${((run.finishedAt.getTime() - run.startedAt.getTime()) / 1000).toFixed(1)} s` : '';
  return [`run ${run.id}: ${run.status}${seconds}`, run.message ?? '', run.modelVersionId ? `model version ${run.modelVersionId}` : ''].filter(Boolean).join('\n');
}

export function trainCommand(): Command {
  return new Command('train')
    .description('Train heads on the labels now, in this process, with a progress bar; adds a model version with its evaluation and gates')
    .option('--dataset <id>', 'train on this dataset instead of a new snapshot of every label')
    .option('--policy <policyId>', "only this policy's labels (repeatable)", (v: string, all: string[] = []) => [...all, v])
    .option('--hidden <units>', '0: logistic regression (default); otherwise MLP hidden units', integer)
    .option('--epochs <n>', 'the most epochs (default 60)', integer)
    .option('--seed <n>', 'the seed (default 1)', integer)
    .option('--min-labels <n>', 'labels of each class a policy needs for a head', integer)
    .action(async (options: { dataset?: string; policy?: string[]; hidden?: number; epochs?: number; seed?: number; minLabels?: number }) => {
      const run = await withCliContext(TRAINING, async (app) => {
        const config = app.get(LoupeConfig);
        const handler = app.get(TrainingHandler);
        const values = newRun(
          {
            datasetId: options.dataset,
            filter: options.policy ? { policyIds: options.policy } : undefined,
            params: { hidden: options.hidden, epochs: options.epochs, seed: options.seed, minLabelsPerClass: options.minLabels },
          },
          config.learning.minLabelsPerClass,
          null,
          'manual',
        );
        // One bar per stage: the dataset's labels, the features (embeddings computed for older items), the epochs.
        let bar: ReturnType<typeof progressBar> | undefined;
        let stage: string | undefined;
        try {
          return await handler.runHere(values, (p) => {
            const total = p.stage === 'training' ? p.epochs : p.total;
            if (p.stage !== stage) {
              bar?.stop();
              stage = p.stage;
              bar = total ? progressBar(p.stage, total, p.stage === 'training' ? ' epochs' : ' items') : undefined;
            }
            bar?.update((p.stage === 'training' ? p.epoch : p.done) ?? 0);
          });
        } finally {
          bar?.stop();
        }
      });
      console.log(describeRun(run));
      if (run.status !== 'succeeded') process.exitCode = 1;
    });
}

export function modelsCommand(): Command {
  const models = new Command('models').description('The model registry: versions, promotion, rollback, shadow and canary');
  models
    .command('list')
    .description('Models with their versions and aliases')
    .action(async () => {
      await withCliContext(REGISTRY, async (app) => {
        for (const m of await app.get(ModelRegistryService).list()) {
          const aliases = Object.entries(m.aliases).map(([alias, v]) => `${alias}=${v}`).join(' ');
          const experiment = m.experiment ? `  ${m.experiment.mode} v${m.experiment.version} ${m.experiment.percent}%` : '';
          console.log(`${m.name}  ${m.versions} versions (latest ${m.latest.version})  ${aliases}${experiment}`);
        }
      });
    });
  models
    .command('show <name> <version>')
    .description('A version: policies, proposed thresholds, gates and its model card')
    .action(async (name: string, version: string) => {
      await withCliContext(REGISTRY, async (app) => {
        const found = await app.get(ModelRegistryService).version(name, integer(version));
        const { version: v } = found;
        console.log(JSON.stringify({ name, version: v.version, aliases: found.aliases, policies: v.policies, thresholds: v.thresholds, gatesPassed: v.gatesPassed, card: v.card }, null, 2));
      });
    });
  models
    .command('promote <name> [version]')
    .description('Promote a version (the challenger, else the latest) to champion, if it passed its gates')
    .option('--policies <ids>', "only these of its heads (comma-separated), judged by their own gates; the others keep what serves them")
    .option('--override <reason>', 'promote past failed gates, with a reason (audited)')
    .action(async (name: string, version: string | undefined, options: { override?: string; policies?: string }) => {
      await withCliContext(REGISTRY, async (app) => {
        const input = {
          version: version ? integer(version) : undefined,
          policies: options.policies ? options.policies.split(',').map((p) => p.trim()).filter(Boolean) : undefined,
          override: options.override ? { reason: options.override } : undefined,
        };
        const row = await app.get(ModelRegistryService).promote(name, input, CLI_ACTOR);
        console.log(`promoted ${row.modelName}; serving: ${Object.entries(row.state.policies).map(([p, v]) => `${p}=${v.modelName}@${v.version}`).join(' ')}`);
      });
    });
  models
    .command('rollback <name>')
    .description('Return to the previous champion')
    .action(async (name: string) => {
      await withCliContext(REGISTRY, async (app) => {
        const row = await app.get(ModelRegistryService).rollback(name, CLI_ACTOR);
        console.log(`rolled back ${row.modelName}; serving: ${Object.entries(row.state.policies).map(([p, v]) => `${p}=${v.modelName}@${v.version}`).join(' ') || 'baseline only'}`);
      });
    });
  models
    .command('deploy <name> <mode> [version]')
    .description('shadow | canary | none: run a challenger version beside the champion')
    .option('--percent <p>', 'share of items (canary: decided by the challenger; shadow: scored, default 100)', Number)
    .action(async (name: string, mode: string, version: string | undefined, options: { percent?: number }) => {
      if (!['shadow', 'canary', 'none'].includes(mode)) throw new InvalidArgumentError('mode must be shadow, canary or none');
      await withCliContext(REGISTRY, async (app) => {
        await app.get(ModelRegistryService).deploy(name, { challenger: version ? integer(version) : null, mode: mode as 'shadow', percent: options.percent }, CLI_ACTOR);
        console.log(`${name}: ${mode}${version ? ` version ${version}` : ''}`);
      });
    });
  models
    .command('report <name> [version]')
    .description('The shadow or canary report: the challenger beside the champion and the later labels; a canary\'s two arms')
    .action(async (name: string, version: string | undefined) => {
      await withCliContext(REGISTRY, async (app) => {
        console.log(formatExperimentReport(await app.get(ExperimentReportService).report(name, version ? integer(version) : undefined)));
      });
    });
  return models;
}
