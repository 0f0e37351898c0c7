import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';

/**
 * Spawns `command` as the leader of a new process group, so that {@link stopGroup} also stops
 * whatever it starts in turn.
 */
export function spawnInGroup(command: string, args: string[], options: SpawnOptions): ChildProcess {
  return spawn(command, args, { ...options, detached: true });
}

/** Whether `child` is still running (it has neither exited nor been killed by a signal). */
export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * Stops the process group `child` leads: SIGTERM, then SIGKILL for anything still there after
 * `graceMs`. Resolves once the leader has exited.
 */
export async function stopGroup(child: ChildProcess, graceMs = 5_000): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) return;
  const exited = isRunning(child) ? once(child, 'exit') : Promise.resolve();
  signalGroup(pgid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(pgid, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  // The leader is gone; a straggler it left in the group gets no second chance.
  if (processesInGroup(pgid).length > 0) signalGroup(pgid, 'SIGKILL');
}

/** Sends `signal` to every process in group `pgid`; a group that is already gone is fine. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** The live (non-zombie) processes in group `pgid`, as `ps` lines `pid stat args`. */
export function processesInGroup(pgid: number): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' });
  if (ps.status !== 0) throw new Error(`ps failed: ${ps.stderr}`);
  return ps.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, group, stat]) => pid && Number(group) === pgid && !stat.startsWith('Z'))
    .map(([pid, , stat, ...args]) => `${pid} ${stat} ${args.join(' ')}`);
}
