import { describe, expect, it } from 'vitest';
import { compileExpression, ExpressionError, expressionProblem } from '../../src/core/expression';

describe('safe expression parser', () => {
  it('evaluates arithmetic, functions and constants in x', () => {
    const f = compileExpression('sin(x) + sin(3*x) + 0.5 * x^2 - exp(-abs(x)) / pi + e');
    const x = 0.7;
    expect(f({ x })).toBeCloseTo(Math.sin(x) + Math.sin(3 * x) + 0.5 * x * x - Math.exp(-Math.abs(x)) / Math.PI + Math.E, 12);
    expect(compileExpression('2x + 1')({ x: 3 })).toBe(7);
  });

  it('gives NaN where the value is not real', () => {
    expect(compileExpression('sqrt(x)')({ x: -1 })).toBeNaN();
    expect(compileExpression('log(x)')({ x: -1 })).toBeNaN();
  });

  it.each([
    'process.exit(1)',
    'x.constructor',
    'constructor',
    'import("fs")',
    'f(x) = 1',
    'x = 2',
    '[1, 2]',
    '"abc"',
    'evaluate("1+1")',
    'sin(x); cos(x)',
    'y + 1',
    'x ? 1 : 2',
    'x == 1',
    'matrix([1])',
    '{a: 1}',
    'sin',
  ])('refuses %s', (source) => {
    expect(() => compileExpression(source)).toThrow(ExpressionError);
    expect(expressionProblem(source)).toBeTypeOf('string');
  });

  it('names what it refused', () => {
    expect(expressionProblem('y + 1')).toContain('"y"');
    expect(expressionProblem('evaluate("1")')).toContain('evaluate');
    expect(expressionProblem('sin(x) + sin(3*x)')).toBeNull();
  });
});
