/** ‖u − v‖ / ‖v‖: how far an output is from a reference (a narrow network's, the exact solution, the target). */
export function relativeL2(u: ArrayLike<number>, v: ArrayLike<number>): number {
  let diff = 0;
  let base = 0;
  for (let i = 0; i < v.length; i++) {
    diff += (u[i] - v[i]) ** 2;
    base += v[i] ** 2;
  }
  return Math.sqrt(diff / base);
}
