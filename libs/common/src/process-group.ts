import type { ChildProcess } from 'node:child_process';

/**
 * Ends a child started with `detached: true` and all of its process group
 * (npm → node, node → ffmpeg): SIGTERM, then SIGKILL after `graceMs` if it
 * has not exited. `exited` resolves on the child's 'exit' event.
 */
export async function stopProcessGroup(child: ChildProcess, exited: Promise<unknown>, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }, graceMs);
  await exited;
  clearTimeout(timer);
}
