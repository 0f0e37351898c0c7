import { spawn, type ChildProcess } from 'node:child_process';

/** One app instance in a process of its own (route-instance.ts), sharing the database with the others. */
export interface RouteInstance {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** What the instance printed, one line each (its auth log lines among them). */
  logs: string[];
  stop(): Promise<void>;
}

/** Starts `route` (a module path from the project root) on `port` with `env` over this process's environment. */
export async function startRouteInstance(route: string, port: number, env: Record<string, string>): Promise<RouteInstance> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '__tests__/db/helpers/route-instance.ts', route, String(port)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const collect = (chunk: Buffer) => logs.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`the instance on port ${port} did not start within 60 s:\n${logs.join('\n')}`)), 60_000);
    function fail(error: Error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    }
    child.stdout!.on('data', () => {
      if (logs.includes('READY')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => fail(new Error(`the instance on port ${port} exited with ${code}:\n${logs.join('\n')}`)));
  });
  child.removeAllListeners('exit');
  return {
    url: `http://127.0.0.1:${port}`,
    logs,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
