/** Node's source of MNIST digits: the JSON files of the `mnist` package. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MNIST_CLASSES, MNIST_PER_CLASS, selectDigits, type Digits } from '../core/data/mnist.ts';

const require = createRequire(import.meta.url);

export function readPackageDigits(perClass = MNIST_PER_CLASS): Digits {
  const byClass = Array.from({ length: MNIST_CLASSES }, (_, digit) => {
    const file = require.resolve(`mnist/src/digits/${digit}.json`);
    return (JSON.parse(readFileSync(file, 'utf8')) as { data: number[] }).data;
  });
  return selectDigits(byClass, perClass);
}
