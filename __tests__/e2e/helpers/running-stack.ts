import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { processesInGroup, signalGroup, stopGroup } from './processes';

/** The processes and temp folder global-setup.ts started, kept for global-teardown.ts. */
export interface RunningStack {
  /** Process-group leaders, in start order. */
  children: ChildProcess[];
  /** Holds the stack file and the issuer's data folder; removed on teardown. */
  tempDir: string;
}

// globalSetup and globalTeardown run in the same jest process but load their modules separately,
// so the handles travel on globalThis.
const RUNNING_STACK = Symbol.for('logto-next-auth.e2e.running-stack');
const slot = globalThis as typeof globalThis & { [RUNNING_STACK]?: RunningStack };

/**
 * Keeps `stack` for {@link takeRunningStack}, and kills its processes if jest exits without
 * teardown: on exit, or when interrupted (Ctrl-C reaches jest, not the detached process groups).
 */
export function rememberRunningStack(stack: RunningStack): void {
  slot[RUNNING_STACK] = stack;
  const killIfStillRunning = () => {
    if (slot[RUNNING_STACK] !== stack) return;
    for (const child of stack.children) if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
    rmSync(stack.tempDir, { recursive: true, force: true });
  };
  process.once('exit', killIfStillRunning);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killIfStillRunning();
      // The listener is gone now, so the signal's default action ends jest as it would have.
      process.kill(process.pid, signal);
    });
  }
}

/** The stack {@link rememberRunningStack} kept, now owned by the caller; undefined when none. */
export function takeRunningStack(): RunningStack | undefined {
  const stack = slot[RUNNING_STACK];
  slot[RUNNING_STACK] = undefined;
  return stack;
}

/**
 * Stops every process group (last started first), removes the temp folder, and throws when `ps`
 * still lists a process in one of the groups.
 */
export async function stopRunningStack({ children, tempDir }: RunningStack): Promise<void> {
  for (const child of [...children].reverse()) await stopGroup(child);
  rmSync(tempDir, { recursive: true, force: true });
  const leftovers = children.flatMap((child) => (child.pid === undefined ? [] : processesInGroup(child.pid)));
  if (leftovers.length > 0) {
    throw new Error(`The browser tests left processes behind:\n${leftovers.join('\n')}`);
  }
}
