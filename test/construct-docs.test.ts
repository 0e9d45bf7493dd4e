/**
 * The construct API is documented as the AWS CDK design guidelines and cdk8s-plus do it (issue 13 item 5,
 * style review §1.1/§1.2): every property of an exported `*Props` interface has prose, every optional one a
 * `@default` (`@default <value>` or `@default - <what happens>`), and every exported construct class a
 * class comment. Checked on the source with the TypeScript compiler API, so a new prop without docs fails
 * here naming file:line and the prop.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
const CONSTRUCTS = path.join(ROOT, 'src', 'constructs');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

const isExported = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** The prose of a node's JSDoc blocks (tags excluded), trimmed. */
function proseOf(node: ts.Node): string {
  return ts.getJSDocCommentsAndTags(node)
    .filter(ts.isJSDoc)
    .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
    .join(' ')
    .trim();
}

/** "The foo bar." for a prop `fooBar`: a comment that only repeats the name says nothing. */
function isFiller(prose: string, name: string): boolean {
  const words = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().replace(/[^a-z0-9 ]/g, ' ').split(/\s+/).filter((w) => w && w !== 'the' && w !== 'a' && w !== 'an');
  return words(prose).join(' ') === words(name).join(' ');
}

/** Problems in one source file, each `file:line: message`. */
function docProblems(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const problems: string[] = [];
  const at = (node: ts.Node, message: string) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    problems.push(`${fileName}:${line}: ${message}`);
  };
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement) && isExported(statement) && statement.name.text.endsWith('Props')) {
      for (const member of statement.members) {
        if (!ts.isPropertySignature(member)) continue;
        const prop = `${statement.name.text}.${member.name.getText(source)}`;
        const prose = proseOf(member);
        if (!prose) at(member, `${prop} has no JSDoc comment`);
        else if (isFiller(prose, member.name.getText(source))) at(member, `${prop}: its comment "${prose}" only repeats the name`);
        if (member.questionToken) {
          const defaults = ts.getJSDocTags(member).filter((t) => t.tagName.text === 'default');
          const value = defaults.map((t) => (ts.getTextOfJSDocComment(t.comment) ?? '').trim());
          if (defaults.length === 0) at(member, `${prop} is optional and has no @default tag`);
          else if (value.some((v) => v === '' || v === '-' || v === 'undefined')) {
            at(member, `${prop}: @default must give a value or "- <what happens>", not "${value.join(', ')}"`);
          }
        }
      }
    }
    if (ts.isClassDeclaration(statement) && isExported(statement) && statement.heritageClauses?.length && !proseOf(statement)) {
      at(statement, `class ${statement.name?.text ?? '(anonymous)'} has no class JSDoc comment`);
    }
  }
  return problems;
}

describe('construct API docs (src/constructs/)', () => {
  const files = filesUnder(CONSTRUCTS).filter((f) => f.endsWith('.ts')).sort();

  test('the checker sees the construct files and their props', () => {
    // Guards against a checker that finds nothing to check (a wrong folder or a parse that yields no props).
    expect(files.length).toBeGreaterThan(30);
    const props = files.flatMap((f) => {
      const src = ts.createSourceFile(f, fs.readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true);
      return src.statements.filter((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text.endsWith('Props')).flatMap((s) => s.members);
    });
    expect(props.length).toBeGreaterThan(80);
  });

  test('every *Props property has a comment, every optional one a @default, every construct class a class comment', () => {
    const problems = files.flatMap((f) => docProblems(path.relative(ROOT, f).split(path.sep).join('/'), fs.readFileSync(f, 'utf8')));
    expect(problems).toEqual([]);
  });

  test('the checker names file:line and the prop for each kind of gap', () => {
    const text = [
      'import { Construct } from "constructs";',
      'export interface FooProps {',
      '  readonly undocumented: string;',
      '  /** Replica count of the Deployment. */',
      '  readonly replicas?: number;',
      '  /** The image. */',
      '  readonly image: string;',
      '  /** Wait for it. @default undefined */',
      '  readonly wait?: boolean;',
      '  /**',
      '   * Labels added to every object.',
      '   *',
      '   * @default - no extra labels',
      '   */',
      '  readonly labels?: Record<string, string>;',
      '}',
      'interface InternalProps { readonly x?: string; }',
      'export class Foo extends Construct {}',
      '/** Documented. */',
      'export class Bar extends Construct {}',
    ].join('\n');
    expect(docProblems('x.ts', text)).toEqual([
      'x.ts:3: FooProps.undocumented has no JSDoc comment',
      'x.ts:5: FooProps.replicas is optional and has no @default tag',
      'x.ts:7: FooProps.image: its comment "The image." only repeats the name',
      'x.ts:9: FooProps.wait: @default must give a value or "- <what happens>", not "undefined"',
      'x.ts:18: class Foo has no class JSDoc comment',
    ]);
  });
});
