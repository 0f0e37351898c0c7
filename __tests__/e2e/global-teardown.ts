import { stopRunningStack, takeRunningStack } from './helpers/running-stack';

/** Stops the app and the issuer global-setup.ts started, and checks with `ps` that none is left. */
export default async function globalTeardown(): Promise<void> {
  const running = takeRunningStack();
  if (running) await stopRunningStack(running);
}
