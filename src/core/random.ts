import { randomLcg, randomNormal } from 'd3-random';

/** A seeded normal sampler: the same seed gives the same numbers in the browser, Node and the tests. */
export function normalSampler(seed: number): (std: number) => number {
  const standard = randomNormal.source(randomLcg(seed))(0, 1);
  return (std) => std * standard();
}
