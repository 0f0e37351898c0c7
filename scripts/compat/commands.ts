import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { isRunning, spawnInGroup, stopGroup } from '../../__tests__/e2e/helpers/processes';
import type { CellLog } from './cell-log';

/** How a command ended, with its output for picking a failure reason. */
export interface CommandResult {
  code: number | null;
  /** stdout and stderr interleaved; capped at the last 2 MB. */
  output: string;
  timedOut: boolean;
}

const OUTPUT_CAP = 2 * 1024 * 1024;
const running = new Set<ChildProcess>();

/**
 * Runs a command to completion in its own process group, its output appended to `log`; after
 * `timeoutMs` the whole group is stopped and the result says so.
 */
export async function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; log: CellLog; timeoutMs: number },
): Promise<CommandResult> {
  options.log.write(`$ ${[command, ...args].join(' ')}\n`);
  const started = Date.now();
  const child = spawnInGroup(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    options.log.write(chunk.toString());
    output = (output + chunk.toString()).slice(-OUTPUT_CAP);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stopGroup(child);
  }, options.timeoutMs);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  running.delete(child);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  options.log.write(`(exit ${code} after ${seconds} s${timedOut ? `, stopped at the ${options.timeoutMs / 1000} s limit` : ''})\n`);
  return { code, output, timedOut };
}

/** Starts a long-running process in its own group, its output appended to `log`; stop it with {@link stopProcess}. */
export function startProcess(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; log: CellLog; stdin?: 'pipe' | 'ignore' },
): ChildProcess {
  options.log.write(`$ ${[command, ...args].join(' ')} &\n`);
  const child = spawnInGroup(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.stderr!.on('data', (chunk: Buffer) => options.log.write(chunk.toString()));
  return child;
}

/** Reads the first stdout line of `child` (a JSON handshake); fails when it exits or stays silent. */
export async function readFirstLine(child: ChildProcess, what: string, timeoutMs = 15_000): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  try {
    return await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready`)));
      setTimeout(() => reject(new Error(`${what} printed nothing within ${timeoutMs / 1000} s`)), timeoutMs).unref();
    });
  } finally {
    lines.close();
  }
}

/** Stops a process started here, and its group. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  await stopGroup(child);
  running.delete(child);
}

/** Stops every process still running, e.g. when the runner is interrupted. */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...running].map((child) => stopProcess(child)));
}

/** Polls `url` until it answers 200; fails early when `child` exits, and after `timeoutMs`. */
export async function waitUntilAnswering(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!isRunning(child)) throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before ${url} answered`);
    last = await fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
      async (response) => (response.status === 200 ? 'ok' : `${response.status}: ${(await response.text()).slice(0, 200)}`),
      (error: Error) => error.message,
    );
    if (last === 'ok') return;
    await sleep(200);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s (last: ${last})`);
}
