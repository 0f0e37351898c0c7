import ts from 'typescript';
import { buildKitJs, transpileWithJsDoc } from '../../scripts/kit/build-kit-js';
import { workingKitFiles } from '../../scripts/kit/kit-files';
import { REPO_ROOT } from './helpers/temp-folders';

const JEST_CONFIG = '__tests__/logto-kit/jest.config.js';

/** The names a module exports, read from its syntax. */
function exportsOf(fileName: string, source: string, kind: ts.ScriptKind): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, kind);
  const names: string[] = [];
  for (const statement of file.statements) {
    const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
    if (ts.isExportDeclaration(statement) && !statement.isTypeOnly && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      names.push(...statement.exportClause.elements.filter((element) => !element.isTypeOnly).map((element) => element.name.text));
    } else if (exported && (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
      names.push(statement.name.text);
    } else if (exported && ts.isVariableStatement(statement)) {
      names.push(...statement.declarationList.declarations.map((declaration) => declaration.name.getText(file)));
    }
  }
  return names.sort();
}

describe('buildKitJs', () => {
  const source = workingKitFiles(REPO_ROOT, 'ts');
  const built = buildKitJs(source, JEST_CONFIG);

  it('turns every TypeScript module of the kit and the suite into JavaScript that parses as plain JavaScript', () => {
    const modules = [...source.keys()].filter((path) => /\.ts$/.test(path) && !path.endsWith('.d.ts'));
    expect(modules.length).toBeGreaterThan(40);
    for (const path of modules) {
      const js = built.get(path.replace(/\.ts$/, '.js'))?.toString('utf8');
      expect(js).toBeDefined();
      const parsed = ts.createSourceFile(path, js!, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS) as ts.SourceFile & { parseDiagnostics: ts.Diagnostic[] };
      expect([path, parsed.parseDiagnostics.length]).toEqual([path, 0]);
    }
    expect([...built.keys()].filter((path) => /\.tsx?$/.test(path))).toEqual([]);
  });

  it('keeps every runtime export of each module', () => {
    for (const [path, content] of source) {
      if (!/\.ts$/.test(path) || path.endsWith('.d.ts')) continue;
      const js = built.get(path.replace(/\.ts$/, '.js'))!.toString('utf8');
      expect([path, exportsOf(path, js, ts.ScriptKind.JS)]).toEqual([path, exportsOf(path, content.toString('utf8'), ts.ScriptKind.TS)]);
    }
  });

  it('keeps the doc comments and writes the types as JSDoc', () => {
    const settings = built.get('lib/logto/next-auth/settings.js')!.toString('utf8');

    expect(settings).toContain(" * @import { NextAuthOptions } from 'next-auth'");
    expect(settings).toMatch(/ \* next-auth v4's settings for this app[^]*? \* @param \{string\} nextAuthUrl\n \* @param \{NextAuthOptions\} authOptions\n \* @returns \{NextAuthSettings\}\n \*\/\nexport function deriveNextAuthSettings\(nextAuthUrl, authOptions\)/);
    expect(settings).toContain(' * @typedef {Object} AuthUrls\n * @property {string} origin `https://app.example.com`: NEXTAUTH_URL\'s origin.');
    expect(settings).toContain(' * @property {(providerId: string) => string} callbackUrl');
  });

  it('leaves out the type-only .d.ts files and gives the suite a jest config for JavaScript', () => {
    expect(built.has('lib/logto/types/next-auth.d.ts')).toBe(false);
    expect(built.get('lib/logto/CHANGELOG.md')).toEqual(source.get('lib/logto/CHANGELOG.md'));
    const config = built.get(JEST_CONFIG)!.toString('utf8');
    expect(config).toContain("testMatch: ['**/*.test.js']");
    expect(config).toContain("['babel-jest', { presets: ['next/babel'] }]");
    expect(config).not.toContain('ts-jest');
  });
});

describe('transpileWithJsDoc', () => {
  it('says which file does not compile', () => {
    expect(() => transpileWithJsDoc('broken.ts', 'export const = ;')).toThrow(/^broken\.ts: /);
  });

  it('turns an interface that extends another into an intersection typedef and keeps generics as @template', () => {
    const js = transpileWithJsDoc('x.ts', 'interface A { a: string }\nexport interface B extends A { b?: number }\n/** Wraps. */\nexport function wrap<T>(value: T): T[] { return [value]; }\n');

    expect(js).toContain('@typedef {A & { b?: number; }} B');
    expect(js).toContain('/**\n * Wraps.\n * @template T\n * @param {T} value\n * @returns {T[]}\n */\nexport function wrap(value)');
  });
});
