import 'reflect-metadata';
import { Command } from 'commander';
import { ConfigError } from '@loupe/config';
import { banksCommand } from './commands/banks.command';
import { datasetsCommand } from './commands/datasets.command';
import { featuresCommand } from './commands/features.command';
import { modelsCommand, trainCommand } from './commands/learning.command';
import { hashCommand } from './commands/hash.command';
import { keysCommand } from './commands/keys.command';
import { labelsCommand } from './commands/labels.command';
import { reportCommand } from './commands/report.command';
import { trendsCommand } from './commands/trends.command';
import { demoCommand } from './commands/demo.command';
import { simulateCommand } from '../../simulator/src/simulate.command';

const program = new Command('loupe')
  .description('Loupe: human-in-the-loop content moderation')
  .showHelpAfterError()
  .addCommand(keysCommand())
  .addCommand(hashCommand())
  .addCommand(banksCommand())
  .addCommand(labelsCommand())
  .addCommand(datasetsCommand())
  .addCommand(featuresCommand())
  .addCommand(trainCommand())
  .addCommand(modelsCommand())
  .addCommand(reportCommand())
  .addCommand(trendsCommand())
  .addCommand(demoCommand())
  .addCommand(simulateCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? `loupe: ${error.message}` : error);
  process.exit(1);
});
