/**
 * Safe math expressions for targets such as "sin(x) + sin(3*x)". mathjs parses the text; we accept the
 * tree only if every node is arithmetic on numbers, the allowed variables and a short list of real
 * functions, so a config or a URL can never reach property access, assignment or function definitions.
 */
import {
  parseDependencies,
  derivativeDependencies,
  sinDependencies,
  cosDependencies,
  tanDependencies,
  asinDependencies,
  acosDependencies,
  atanDependencies,
  sinhDependencies,
  coshDependencies,
  tanhDependencies,
  expDependencies,
  logDependencies,
  sqrtDependencies,
  absDependencies,
  signDependencies,
  floorDependencies,
  ceilDependencies,
  roundDependencies,
  minDependencies,
  maxDependencies,
  powDependencies,
  addDependencies,
  subtractDependencies,
  multiplyDependencies,
  divideDependencies,
  unaryMinusDependencies,
  unaryPlusDependencies,
  piDependencies,
  eDependencies,
  create,
  type MathNode,
} from 'mathjs';

const FUNCTIONS = new Set([
  'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh',
  'exp', 'log', 'sqrt', 'abs', 'sign', 'floor', 'ceil', 'round', 'min', 'max', 'pow',
]);
const OPERATORS = new Set(['add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus']);
const CONSTANTS = new Set(['pi', 'e']);

/**
 * A mathjs of the parser, the derivative, and what an expression may name: all of mathjs builds some thousand
 * typed functions when it loads (1.6 s of CPU in Node, most of the headless runner's start); this one builds each
 * function when first used.
 */
// Named one by one, so that bundlers leave the rest of mathjs out; a test checks every allowed name evaluates.
const { parse, derivative } = create({
  parseDependencies,
  derivativeDependencies,
  sinDependencies,
  cosDependencies,
  tanDependencies,
  asinDependencies,
  acosDependencies,
  atanDependencies,
  sinhDependencies,
  coshDependencies,
  tanhDependencies,
  expDependencies,
  logDependencies,
  sqrtDependencies,
  absDependencies,
  signDependencies,
  floorDependencies,
  ceilDependencies,
  roundDependencies,
  minDependencies,
  maxDependencies,
  powDependencies,
  addDependencies,
  subtractDependencies,
  multiplyDependencies,
  divideDependencies,
  unaryMinusDependencies,
  unaryPlusDependencies,
  piDependencies,
  eDependencies,
});
export class ExpressionError extends Error {
  override name = 'ExpressionError';
}

export type RealFunction = (vars: Record<string, number>) => number;

function check(node: MathNode, variables: ReadonlySet<string>): void {
  switch (node.type) {
    case 'ConstantNode': {
      const value = (node as unknown as { value: unknown }).value;
      if (typeof value !== 'number') throw new ExpressionError(`only numbers are allowed, not ${JSON.stringify(value)}`);
      return;
    }
    case 'SymbolNode': {
      const name = (node as unknown as { name: string }).name;
      if (!variables.has(name) && !CONSTANTS.has(name)) {
        const allowed = [...variables, ...CONSTANTS].join(', ');
        throw new ExpressionError(`unknown name "${name}" (allowed: ${allowed})`);
      }
      return;
    }
    case 'OperatorNode': {
      const op = node as unknown as { fn: string; op: string; args: MathNode[] };
      if (!OPERATORS.has(op.fn)) throw new ExpressionError(`operator "${op.op}" is not allowed`);
      op.args.forEach((arg) => check(arg, variables));
      return;
    }
    case 'ParenthesisNode':
      check((node as unknown as { content: MathNode }).content, variables);
      return;
    case 'FunctionNode': {
      const fn = node as unknown as { fn: MathNode; args: MathNode[] };
      const name = fn.fn.type === 'SymbolNode' ? (fn.fn as unknown as { name: string }).name : '';
      if (!FUNCTIONS.has(name)) {
        throw new ExpressionError(`function "${name || fn.fn.toString()}" is not allowed (allowed: ${[...FUNCTIONS].join(', ')})`);
      }
      fn.args.forEach((arg) => check(arg, variables));
      return;
    }
    default:
      throw new ExpressionError(`"${node.toString()}" is not a math expression (${node.type})`);
  }
}

function checkedTree(source: string, variables: readonly string[]): MathNode {
  if (source.length > 500) throw new ExpressionError('expression is longer than 500 characters');
  let tree: MathNode;
  try {
    tree = parse(source);
  } catch (error) {
    throw new ExpressionError(`cannot parse: ${(error as Error).message}`);
  }
  check(tree, new Set(variables));
  return tree;
}

/** Parses and checks `source`; the returned function gives NaN where the value is not a real number. */
export function compileExpression(source: string, variables: readonly string[] = ['x']): RealFunction {
  return compileTree(checkedTree(source, variables));
}

/** The symbolic derivative d^order/dx^order of a checked expression in x (mathjs' rules), as a function. */
export function compileDerivative(source: string, order: number): RealFunction {
  let tree = checkedTree(source, ['x']);
  try {
    for (let i = 0; i < order; i++) tree = derivative(tree, 'x');
  } catch (error) {
    throw new ExpressionError(`cannot differentiate "${source}": ${(error as Error).message}`);
  }
  return compileTree(tree);
}

function compileTree(tree: MathNode): RealFunction {
  const compiled = tree.compile();
  return (vars) => {
    let value: unknown;
    try {
      value = compiled.evaluate({ ...vars });
    } catch (error) {
      // mathjs checks some arguments only when it evaluates ("sin()", "round(x, 1.5)").
      throw new ExpressionError((error as Error).message);
    }
    return typeof value === 'number' ? value : Number.NaN;
  };
}

/** The reason `source` is refused, or null when it is a valid expression. */
export function expressionProblem(source: string, variables: readonly string[] = ['x']): string | null {
  try {
    compileExpression(source, variables);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
