import ts from 'typescript';
import type { KitFiles } from './kit-files';

/**
 * The drop-in suite's jest config in a JavaScript app: the suite's tests as built here (`*.test.js`), the app's
 * and the kit's ES modules turned into CommonJS by Next.js's own Babel preset (no TypeScript, no ts-jest).
 */
const JS_SUITE_JEST_CONFIG = `// The Logto kit's drop-in tests, run in your app: \`npx jest -c __tests__/logto-kit/jest.config.js\`, or through the
// jest.logto-kit.config.cjs that \`npm run kit -- add\` writes at your app's root (it extends this one with your paths).
// JavaScript build: Next.js's own Babel preset turns your modules' and the kit's ES modules into CommonJS for jest.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS config, whatever your package's type
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '../..',
  roots: ['<rootDir>/__tests__/logto-kit'],
  testMatch: ['**/*.test.js'],
  testEnvironment: 'node',
  transform: { '^.+\\\\.(js|jsx|mjs)$': ['babel-jest', { presets: ['next/babel'] }] },
  // If your route imports through a path alias (e.g. \`@/\`), map it here as in your jsconfig.json.
  moduleNameMapper: { '^@/(.*)$': '<rootDir>/$1' },
  // The one setting (helpers/test-settings.js): where your route and authOptions are, the variables your modules
  // need to load, and, with an adapter, the throwaway database. Paths absolute or from the folder jest runs in.
  globals: {
    logtoKit: { route: path.join(__dirname, '../../pages/api/auth/[...nextauth].js') },
  },
  // Checks the settings once, makes the throwaway database; the teardown lists the tests left out for this host.
  globalSetup: '<rootDir>/__tests__/logto-kit/helpers/global-setup.js',
  globalTeardown: '<rootDir>/__tests__/logto-kit/helpers/global-teardown.js',
  // Each test file's own copy of the throwaway database.
  setupFilesAfterEnv: ['<rootDir>/__tests__/logto-kit/helpers/database-per-file.js'],
};
`;

/**
 * The JavaScript build of a kit version: each `.ts` file an ES module `.js` with its doc comments and its types as
 * JSDoc; `.d.ts` files left out; the suite's jest config {@link JS_SUITE_JEST_CONFIG}; the rest copied as it is.
 * Never committed: `add` and `update` build it from the version's TypeScript.
 */
export function buildKitJs(files: KitFiles, jestConfig: string): KitFiles {
  const built: KitFiles = new Map();
  for (const [path, content] of files) {
    if (path.endsWith('.d.ts')) continue;
    if (path === jestConfig) built.set(path, Buffer.from(JS_SUITE_JEST_CONFIG));
    else if (/\.tsx?$/.test(path)) built.set(jsPathOf(path), Buffer.from(transpileWithJsDoc(path, content.toString('utf8'))));
    else built.set(path, content);
  }
  return built;
}

/** The path of a TypeScript file's JavaScript build: `.ts` → `.js`, `.tsx` → `.jsx`. */
export function jsPathOf(path: string): string {
  return path.replace(/\.tsx$/, '.jsx').replace(/\.ts$/, '.js');
}

/** One TypeScript module as JavaScript (ES2022, ES modules), its types moved into JSDoc. */
export function transpileWithJsDoc(fileName: string, source: string): string {
  const result = ts.transpileModule(source, {
    fileName,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      jsx: ts.JsxEmit.Preserve,
      removeComments: false,
      isolatedModules: true,
      // ES2022 class fields as TypeScript compiles them for Next.js (`[[Define]]` semantics).
      useDefineForClassFields: true,
    },
    transformers: { before: [jsDocTransformer] },
    reportDiagnostics: true,
  });
  const errors = (result.diagnostics ?? []).filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    throw new Error(`${fileName}: ${errors.map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')).join('; ')}`);
  }
  return result.outputText;
}

/** Adds JSDoc type tags to the declarations of one source file before TypeScript erases its types. */
function jsDocTransformer(context: ts.TransformationContext): ts.Transformer<ts.SourceFile> {
  return (sourceFile) => {
    const text = sourceFile.text;
    // Printed without comments: a doc comment inside a type literal would end the JSDoc block early.
    const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
    const typeText = (node: ts.Node) => printer.printNode(ts.EmitHint.Unspecified, node, sourceFile).replace(/\s*\n\s*/g, ' ').trim();

    /** The node's leading comments as synthetic ones, its last JSDoc block extended with `tags`. */
    const withDoc = <T extends ts.Node>(node: T, original: ts.Node, tags: string[]): T => {
      if (tags.length === 0) return node;
      const ranges = ts.getLeadingCommentRanges(text, original.pos) ?? [];
      const docIndex = ranges.map((range) => text.slice(range.pos, range.end).startsWith('/**')).lastIndexOf(true);
      ts.setEmitFlags(node, ts.EmitFlags.NoLeadingComments);
      ranges.forEach((range, index) => {
        const comment = text.slice(range.pos, range.end);
        if (index === docIndex) return;
        if (range.kind === ts.SyntaxKind.SingleLineCommentTrivia) ts.addSyntheticLeadingComment(node, range.kind, comment.slice(2), range.hasTrailingNewLine);
        else ts.addSyntheticLeadingComment(node, range.kind, comment.slice(2, -2), true);
      });
      const doc = docIndex === -1 ? '' : text.slice(ranges[docIndex].pos, ranges[docIndex].end);
      ts.addSyntheticLeadingComment(node, ts.SyntaxKind.MultiLineCommentTrivia, jsDocBody(doc, tags), true);
      return node;
    };

    const templateTags = (node: ts.SignatureDeclarationBase | ts.ClassLikeDeclaration | ts.InterfaceDeclaration | ts.TypeAliasDeclaration) =>
      (node.typeParameters ?? []).map((parameter) => `@template ${parameter.name.text}`);

    const signatureTags = (node: ts.SignatureDeclarationBase): string[] => {
      const tags = templateTags(node);
      node.parameters.forEach((parameter, index) => {
        if (!parameter.type) return;
        const name = ts.isIdentifier(parameter.name) ? parameter.name.text : `arg${index}`;
        const optional = parameter.questionToken !== undefined || parameter.initializer !== undefined;
        const rest = parameter.dotDotDotToken ? '...' : '';
        tags.push(`@param {${rest}${typeText(parameter.type)}} ${optional ? `[${name}]` : name}`);
      });
      if (node.type) tags.push(`@returns {${typeText(node.type)}}`);
      return tags;
    };

    /** A `@typedef` for an interface or a type literal alias, each member an `@property` with its doc. */
    const typedefTags = (name: string, members: ts.NodeArray<ts.TypeElement>, node: ts.InterfaceDeclaration | ts.TypeAliasDeclaration): string[] => {
      const tags = [...templateTags(node), `@typedef {Object} ${name}`];
      for (const member of members) {
        const memberType = ts.isPropertySignature(member)
          ? member.type && typeText(member.type)
          : ts.isMethodSignature(member) && member.type
            ? `(${member.parameters.map((parameter) => typeText(parameter)).join(', ')}) => ${typeText(member.type)}`
            : undefined;
        if (!memberType || !member.name) continue;
        const memberName = typeText(member.name);
        const doc = (ts.getLeadingCommentRanges(text, member.pos) ?? [])
          .map((range) => text.slice(range.pos, range.end))
          .filter((comment) => comment.startsWith('/**'))
          .map((comment) => comment.replace(/^\/\*\*|\*\/$/g, '').replace(/^\s*\* ?/gm, '').replace(/\s*\n\s*/g, ' ').trim())
          .join(' ');
        tags.push(`@property {${memberType}} ${member.questionToken ? `[${memberName}]` : memberName}${doc ? ` ${doc}` : ''}`);
      }
      return tags;
    };

    const typeOnly = (node: ts.Node, tags: string[]) => withDoc(ts.factory.createNotEmittedStatement(node), node, tags);

    const visitClassMember = (member: ts.ClassElement): ts.ClassElement => {
      if ((ts.isMethodDeclaration(member) || ts.isConstructorDeclaration(member) || ts.isGetAccessorDeclaration(member)) && member.body) {
        return withDoc(member, member, signatureTags(member));
      }
      if (ts.isPropertyDeclaration(member) && member.type) return withDoc(member, member, [`@type {${typeText(member.type)}}`]);
      return member;
    };

    const visit = (node: ts.Node): ts.Node | undefined => {
      if (ts.isImportDeclaration(node) && node.importClause) {
        const clause = node.importClause;
        const from = typeText(node.moduleSpecifier);
        const names = clause.isTypeOnly
          ? [...(clause.name ? [`default as ${clause.name.text}`] : []), ...(clause.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements.map((element) => typeText(element)) : [])]
          : clause.namedBindings && ts.isNamedImports(clause.namedBindings)
            ? clause.namedBindings.elements.filter((element) => element.isTypeOnly).map((element) => typeText(element).replace(/^type\s+/, ''))
            : [];
        if (names.length === 0) return node;
        // TypeScript 5.5+ reads `@import` in JSDoc; an editor then knows the types the tags below name.
        const tag = `@import { ${names.join(', ')} } from ${from}`;
        return clause.isTypeOnly ? typeOnly(node, [tag]) : withDoc(node, node, [tag]);
      }
      if (ts.isInterfaceDeclaration(node)) {
        const bases = (node.heritageClauses ?? []).flatMap((clause) => clause.types.map((type) => typeText(type)));
        if (bases.length === 0) return typeOnly(node, typedefTags(node.name.text, node.members, node));
        // An interface that extends others: one intersection type, its members' docs lost.
        const literal = typeText(ts.factory.createTypeLiteralNode(node.members));
        return typeOnly(node, [...templateTags(node), `@typedef {${[...bases, literal].join(' & ')}} ${node.name.text}`]);
      }
      if (ts.isTypeAliasDeclaration(node)) {
        return typeOnly(node, ts.isTypeLiteralNode(node.type) ? typedefTags(node.name.text, node.type.members, node) : [...templateTags(node), `@typedef {${typeText(node.type)}} ${node.name.text}`]);
      }
      if (ts.isFunctionDeclaration(node) && node.body) return withDoc(node, node, signatureTags(node));
      if (ts.isVariableStatement(node)) {
        const [declaration] = node.declarationList.declarations;
        if (declaration?.type) return withDoc(node, node, [`@type {${typeText(declaration.type)}}`]);
        const initializer = declaration?.initializer;
        if (initializer && (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer))) return withDoc(node, node, signatureTags(initializer));
        return node;
      }
      if (ts.isClassDeclaration(node)) {
        return withDoc(
          ts.factory.updateClassDeclaration(node, node.modifiers, node.name, node.typeParameters, node.heritageClauses, node.members.map(visitClassMember)),
          node,
          templateTags(node),
        );
      }
      return node;
    };
    return ts.visitEachChild(sourceFile, visit, context);
  };
}

/** A JSDoc comment's body (what goes between `/*` and `*\/`) with `tags` appended to the existing doc, if any. */
function jsDocBody(doc: string, tags: string[]): string {
  const lines = doc
    ? doc
        .replace(/^\/\*\*\s*/, '')
        .replace(/\s*\*\/$/, '')
        .split('\n')
        .map((line) => line.replace(/^\s*\* ?/, ''))
        .filter((line, index, all) => !(line === '' && (index === 0 || index === all.length - 1)))
    : [];
  return `*\n${[...lines, ...tags].map((line) => ` *${line ? ` ${line}` : ''}`).join('\n')}\n `;
}
