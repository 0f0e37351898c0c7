import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = join(__dirname, '..');
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** The Markdown outside fenced code blocks, where links and headings count. */
const prose = (file: string) => readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  return new Set(
    [...prose(file).matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => {
      const slug = heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      return count ? `${slug}-${count}` : slug;
    }),
  );
}

describe('README.md and docs/', () => {
  it('link only to files that exist, and to headings those files have', () => {
    const broken: string[] = [];
    for (const page of pages) {
      const file = join(root, page);
      for (const [, target] of prose(file).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const [path, anchor] = target.split('#');
        const linked = path ? resolve(dirname(file), path) : file;
        if (!existsSync(linked)) broken.push(`${page} → ${target}: no ${relative(root, linked)}`);
        else if (anchor && linked.endsWith('.md') && !anchorsOf(linked).has(anchor)) broken.push(`${page} → ${target}: no such heading`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('open every docs page with a title and a link back to the README', () => {
    const untitled = pages
      .filter((page) => page.startsWith('docs/'))
      .filter((page) => !/^# \S.*\n\n.*\]\(\.\.\/README\.md\)/.test(readFileSync(join(root, page), 'utf8')));
    expect(untitled).toEqual([]);
  });

  it('gives the README a table of contents whose entries are its own headings', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const contents = /^## Contents\n\n((?:\s*- \[.+\]\(#.+\)\n)+)/m.exec(readme);
    expect(contents).not.toBeNull();
    const anchors = anchorsOf(join(root, 'README.md'));
    const entries = [...(contents?.[1] ?? '').matchAll(/\(#([^)]+)\)/g)].map(([, anchor]) => anchor);
    expect(entries.filter((anchor) => !anchors.has(anchor))).toEqual([]);
    expect(entries.length).toBeGreaterThanOrEqual(5);
  });
});
