import { relative } from 'node:path';
import { ROOT } from './next-server';

// Helpers of the bench's CPU profiles (npm run bench:profile, npm run bench:profile-callback).

/** The `count` largest entries as aligned lines: microseconds, then the key. */
export function table(entries: Map<string, number>, count: number): string {
  return [...entries]
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, count)
    .map(([key, us]) => `${us.toFixed(1).padStart(8)} µs  ${key}`)
    .join('\n');
}

/** A profile node's file, relative to the repository when it is in it. */
export function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  return path.startsWith(ROOT) ? relative(ROOT, path) : path;
}

/** The package a profile node's file belongs to, or `node internals`, or the repository path. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : 'node internals (native)';
  if (url.startsWith('node:')) return 'node internals';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)(?:\/node_modules\/((?:@[^/]+\/)?[^/]+))?/.exec(url);
  if (match) return match[2] ? `${match[1]} > ${match[2]}` : match[1];
  return shortUrl(url).startsWith('.next') ? 'app bundle (.next)' : shortUrl(url);
}
