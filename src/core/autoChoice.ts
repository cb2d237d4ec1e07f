/**
 * 'auto' by measurement (issue 21): the first time a page's model runs on a device, a few of its steps are timed
 * on each backend that may be fast here, the fastest is taken and remembered for that device and size of model.
 * A GPU backend that a software renderer runs (SwiftShader, llvmpipe) is never timed, so never taken. The logic
 * here is pure (backends, timing and storage are handed in), so it is tested without a browser.
 */
import type { BackendName } from './backend';

export interface Measured {
  name: BackendName;
  stepsPerSecond: number;
}

/** What 'auto' found: what it timed, what it passed over and why, and what it took. */
export interface AutoChoice {
  name: BackendName;
  measured: Measured[];
  passedOver: { name: BackendName; why: string }[];
}

/** Where choices are remembered (IndexedDB in the browser's worker). */
export interface ChoiceStore {
  get(key: string): Promise<AutoChoice | undefined>;
  set(key: string, choice: AutoChoice): Promise<void>;
}

/** What 'auto' needs of the backends: it sets each one as it goes. */
export interface AutoSteps {
  /** In order of preference: on equal rates the earlier one is taken. */
  candidates: readonly BackendName[];
  /** Why this backend runs on a software renderer; null: it does not. */
  software(name: BackendName): Promise<string | null>;
  /** Sets and starts the backend; the error, or null once it runs. */
  start(name: BackendName): Promise<string | null>;
  /** Steps per second of the page's model on the backend just started. */
  measure(name: BackendName): Promise<number>;
}

/**
 * The size class of a model for remembering: a step's multiply-adds (parameters × points) to the nearest power of
 * 4. Which backend is fastest turns with size (a GPU wins only on large steps), not with every width.
 */
export function sizeClass(cost: { parameters: number; points: number }): string {
  return `4^${Math.round(Math.log(Math.max(1, cost.parameters * cost.points)) / Math.log(4))}`;
}

export function choiceKey(device: string, phenomenon: string, cost: { parameters: number; points: number }): string {
  return `${device} | ${phenomenon} | ${sizeClass(cost)}`;
}

/** The fastest of the measured; the earlier on a tie. */
export function fastest(measured: readonly Measured[]): BackendName {
  if (!measured.length) throw new Error('no backend was measured');
  return measured.reduce((best, m) => (m.stepsPerSecond > best.stepsPerSecond ? m : best)).name;
}

/**
 * Takes the remembered choice if its backend starts; otherwise times each candidate that is not software and
 * starts (tfjs' cpu backend only where wasm does not start: it is wasm's plain-JavaScript fallback, and the CPU
 * step runs the same kernels on both), takes the fastest and remembers it. The chosen backend is left set. A
 * measurement that fails passes that backend over; if every one fails, the first failure is thrown (a config
 * that no backend can run).
 */
export async function chooseByMeasurement(steps: AutoSteps, store: ChoiceStore, key: string): Promise<{ choice: AutoChoice; remembered: boolean }> {
  const remembered = await store.get(key).catch(() => undefined);
  if (remembered && steps.candidates.includes(remembered.name) && (await steps.start(remembered.name)) === null) return { choice: remembered, remembered: true };
  const measured: Measured[] = [];
  const passedOver: AutoChoice['passedOver'] = [];
  const failures: unknown[] = [];
  for (const name of steps.candidates) {
    if (name === 'cpu' && measured.some((m) => m.name === 'wasm')) break;
    const why = (await steps.software(name)) ?? (await steps.start(name));
    if (why !== null) {
      passedOver.push({ name, why });
      continue;
    }
    try {
      measured.push({ name, stepsPerSecond: await steps.measure(name) });
    } catch (error) {
      failures.push(error);
      passedOver.push({ name, why: `failed while timed: ${(error as Error).message}` });
    }
  }
  if (!measured.length) throw failures[0] ?? new Error(`no backend could start: ${passedOver.map((p) => `${p.name}: ${p.why}`).join('; ')}`);
  const choice: AutoChoice = { name: fastest(measured), measured, passedOver };
  const started = await steps.start(choice.name);
  if (started !== null) throw new Error(`${choice.name} stopped starting after it was timed: ${started}`);
  await store.set(key, choice).catch(() => undefined);
  return { choice, remembered: false };
}

/** Steps per second to 3 significant figures. */
function rate(stepsPerSecond: number): string {
  return `${Number(stepsPerSecond.toPrecision(3))} steps/s`;
}

/** The run bar's line: what was timed, at what rate, and what was passed over and why. */
export function describeChoice({ measured, passedOver }: AutoChoice, remembered: boolean): string {
  const timed = measured.map((m) => `${m.name} ${rate(m.stepsPerSecond)}`).join(', ');
  const over = passedOver.length ? `; passed over: ${passedOver.map((p) => `${p.name}: ${p.why}`).join('; ')}` : '';
  return `auto: the fastest of those timed on this page's model${remembered ? ' (on first use here, remembered)' : ''}: ${timed}${over}`;
}
