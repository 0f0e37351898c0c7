import type { TestIssuer } from '../../__tests__/logto-kit/helpers/test-issuer';
import { COUNTED_ENDPOINTS, sampleSignIn, type RequestCounts, type SignInSample } from './sign-in-flow-sample';
import { mean, median, percentile } from './stats';

/** A next-auth configuration served by the bench's API server, picked per request by `headers`. */
export interface BenchConfig {
  name: string;
  headers: Record<string, string>;
}

/** Median and 95th percentile of a response time, in milliseconds. */
export interface LatencySummary {
  median: number;
  p95: number;
}

/** What a sign-in costs with one configuration, over many flows. */
export interface SignInSummary {
  name: string;
  flows: number;
  /** Mean issuer requests per sign-in start, per endpoint. */
  startRequests: RequestCounts;
  /** Mean issuer requests per callback, per endpoint. */
  callbackRequests: RequestCounts;
  startLatencyMs: LatencySummary;
  callbackLatencyMs: LatencySummary;
}

/** Sign-ins per configuration before measuring: the first ones pay for module loading and the JIT. */
export const WARM_UP_FLOWS = 3;

/**
 * Runs `flows` sign-ins per configuration after a few warm-up ones, alternating between the configurations
 * so that drift in the machine's load weighs on all of them alike.
 */
export async function measureSignIns(
  appUrl: string,
  issuer: TestIssuer,
  configs: BenchConfig[],
  flows: number,
): Promise<SignInSummary[]> {
  const samples = new Map<string, SignInSample[]>(configs.map((config) => [config.name, []]));
  for (let flow = 0; flow < WARM_UP_FLOWS; flow += 1) {
    for (const config of configs) await sampleSignIn(appUrl, issuer, config.headers);
  }
  for (let round = 0; round < flows; round += 1) {
    for (const config of configs) samples.get(config.name)!.push(await sampleSignIn(appUrl, issuer, config.headers));
  }
  return configs.map(({ name }) => summarize(name, samples.get(name)!));
}

function summarize(name: string, samples: SignInSample[]): SignInSummary {
  const meanCounts = (pick: (sample: SignInSample) => RequestCounts) =>
    Object.fromEntries(
      COUNTED_ENDPOINTS.map((endpoint) => [endpoint, mean(samples.map((sample) => pick(sample)[endpoint]))]),
    ) as RequestCounts;
  const latency = (pick: (sample: SignInSample) => number): LatencySummary => {
    const values = samples.map(pick);
    return { median: median(values), p95: percentile(values, 95) };
  };
  return {
    name,
    flows: samples.length,
    startRequests: meanCounts((sample) => sample.startRequests),
    callbackRequests: meanCounts((sample) => sample.callbackRequests),
    startLatencyMs: latency((sample) => sample.startMs),
    callbackLatencyMs: latency((sample) => sample.callbackMs),
  };
}
