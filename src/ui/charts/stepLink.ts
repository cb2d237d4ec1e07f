/**
 * Linked hover: a page's frame (RunPage) gives its charts over training steps a link to its runs; a chart
 * hovered at a step shows that step in every other view of the page, and draws the hovered step as a rule.
 */
import { getContext, setContext } from 'svelte';

export interface StepLink {
  /** The step under the pointer on some chart of the page, or null. */
  readonly step: number | null;
  /** The pointer is over `step` (null: it left). */
  hover: (step: number | null) => void;
}

const KEY = Symbol('step-link');

export function provideStepLink(link: StepLink): void {
  setContext(KEY, link);
}

/** The page's link, or undefined outside a page that trains (the saved runs' comparison). */
export function stepLink(): StepLink | undefined {
  return getContext<StepLink | undefined>(KEY);
}

/** Whether a chart's x axis counts training steps ("training step", "step", "Adam step"). */
export const overSteps = (xLabel: string) => /\bstep$/.test(xLabel);
