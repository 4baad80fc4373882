import { SingleBar } from 'cli-progress';

/**
 * A progress bar on stderr, so stdout stays clean for JSON lines and exports.
 * Drawn only on a terminal; in pipes and CI it stays silent.
 */
export function progressBar(label: string, total: number, unit = ''): { update(value: number): void; stop(): void } {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    stream: process.stderr,
    format: `${label} [{bar}] {percentage}% | {value}/{total}${unit} | ETA {eta_formatted}`,
    hideCursor: true,
    clearOnComplete: false,
  });
  bar.start(total, 0);
  return { update: (value) => bar.update(Math.min(value, total)), stop: () => bar.stop() };
}
