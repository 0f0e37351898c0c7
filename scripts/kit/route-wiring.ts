import { dirname, posix, relative, sep } from 'node:path';
import type { KitLanguage } from './app-record';
import type { AuthOptionsSite } from './detect-app';

/** The pieces of the kit's route template that wire the kit: imports, then env, provider and kit. */
export interface TemplateParts {
  /** The template's import lines, the kit's own rewritten for the target file. */
  imports: string[];
  /** From the env line to the line before `authOptions`' doc comment: env, provider literal, kit. */
  setup: string;
}

/** The specifier that imports the kit folder `kitDir` from `file` (both relative to the app's root), e.g. `../../../lib/logto`. */
export function kitSpecifierFrom(file: string, kitDir: string): string {
  const path = relative(dirname(file), kitDir.replace(/\/$/, '')).split(sep).join(posix.sep);
  return path.startsWith('.') ? path : `./${path}`;
}

/** Splits the route template into its imports and its setup block, the kit's import pointed at `kitSpecifier`. */
export function templateParts(template: string, kitSpecifier: string): TemplateParts {
  const lines = template.split('\n');
  const imports = lines
    .filter((line) => line.startsWith('import '))
    .map((line) => line.replace(/from '(\.\.?\/)+lib\/logto'/, `from '${kitSpecifier}'`));
  const firstAfterImports = lines.findIndex((line, index) => index > 0 && !line.startsWith('import ') && lines[index - 1].startsWith('import '));
  const authOptionsLine = lines.findIndex((line) => line.startsWith('export const authOptions'));
  let end = authOptionsLine;
  while (end > 0 && !lines[end - 1].startsWith('/**')) end -= 1;
  return { imports, setup: lines.slice(firstAfterImports, end - 1).join('\n').trim() };
}

/** Whether a file already wires the kit: it wraps options in `withLogto` or serves `logto.handler`. */
export function wiresKit(source: string): boolean {
  return /\.withLogto\(|\.handler\(authOptions\)/.test(source);
}

/**
 * The exact lines to merge into an app's existing route (and auth module, for create-t3-app's shape) so it uses the
 * kit, with the kit's import path computed from each file.
 */
export function mergeInstructions(options: { template: string; site: AuthOptionsSite; route: string; kitDir: string; language: KitLanguage }): string[] {
  const { template, site, route, kitDir } = options;
  const annotation = options.language === 'ts' ? ': NextAuthOptions' : '';
  const target = site.kind === 'module' && site.file ? site.file : route;
  const parts = templateParts(template, kitSpecifierFrom(target, kitDir));
  const indent = (text: string) => text.split('\n').map((line) => (line ? `    ${line}` : ''));
  const steps = [
    ...(site.kind === 'inline'
      ? [`  0. Move the options you pass to NextAuth() into \`export const authOptions${annotation} = { … }\`.`]
      : []),
    `  1. Add to the imports of ${target} (keep yours; skip any it already has):`,
    ...indent(parts.imports.join('\n')),
    `  2. Add after the imports:`,
    ...indent(parts.setup),
    `  3. Wrap your options in the kit and list its provider first (your callbacks, pages and providers stay):`,
    ...indent(`export const authOptions${annotation} = logto.withLogto({\n  ...yourOptions,\n  providers: [logtoProvider, ...yourProviders],\n});`),
  ];
  if (site.kind === 'module' && site.file) {
    steps.push(
      `  4. Serve ${route} through the kit (the drop-in tests load authOptions and the kit from ${site.file}, as jest.logto-kit.config.cjs says):`,
      ...indent(`import { authOptions, logto } from '${site.specifier}';\n\nexport default logto.handler(authOptions);`),
    );
  } else {
    steps.push(`  4. Serve the route through the kit, instead of \`export default NextAuth(authOptions)\`:`, ...indent('export default logto.handler(authOptions);'));
  }
  return steps;
}
