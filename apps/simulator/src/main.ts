/**
 * The simulator: a simulated platform with ground truth that drives Loupe
 * over its public HTTP API only, so it runs against a production deployment
 * as well as one it starts itself.
 *
 *   npm run simulate -- --hours 24 --uploads 20000 --seed 1 [--url URL --admin-key KEY] [--out DIR]
 */
import { simulateCommand } from './simulate.command';

simulateCommand('simulate')
  .name('simulate')
  .showHelpAfterError()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    console.error(error instanceof Error ? `simulate: ${error.message}` : error);
    process.exit(1);
  });
