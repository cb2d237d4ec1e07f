/**
 * The events and headline of a function fit (the frequency principle's pages): when each peak frequency is learned
 * (1-D) or each band's error halved (2-D), and around a loss switch the switch and the error's jump. Pure
 * arithmetic on snapshots, shared by the pages, the presentation frame and the tests.
 */
import { firstStepBelow } from '../../core/analysis/spectrum';
import { FREQUENCY } from '../../core/probes/frequency';
import type { Snapshot } from '../../core/run/types';
import type { Headline, RunEvent, RunView } from '../types';
import type { FitInfo } from './info';
import type { FitConfig } from './schema';

/** Below this relative error a peak frequency counts as learned (the SCIENCE.md check). */
export const LEARNED = 0.1;
/** 2-D: a band counts as fitted when its error is half that of a zero output (Δ = 1; ours). */
export const HALVED = 0.5;
/** The loss switch's jump: the largest error within this many steps after the switch, over the error at it. */
export const JUMP_WINDOW = 100;
export const LOSS_NAMES = { data: 'data loss', poisson: 'model loss' } as const;

/** The 2-D bands as ranges of |k| ("0–4", …, "≥ 12"), from their edges (the last is Infinity). */
export function bandRanges(edges: readonly number[]): string[] {
  return edges.slice(0, -1).map((edge, b, lower) => (b === lower.length - 1 ? `≥ ${edge}` : `${edge}–${edges[b + 1]}`));
}

/** What each Δ_F entry measures: "k = 5" (1-D peaks) or "|k| 4–8" (2-D bands). */
function frequencyNames(info: FitInfo): string[] {
  return info.inputs === 2 && info.bandEdges ? bandRanges(info.bandEdges).map((range) => `|k| ${range}`) : info.peaks.map((k) => `k = ${k}`);
}

/**
 * The error's jump at a loss switch: the largest error within JUMP_WINDOW steps after `switchAt` over the error at
 * it, and the step of that largest error. Null until the snapshots reach past the switch; `complete` once they cover
 * the whole window (the factor no longer changes).
 */
export function switchJump(snapshots: readonly Snapshot[], switchAt: number): { factor: number; step: number; complete: boolean } | null {
  const at = snapshots.find((s) => s.step === switchAt);
  const after = snapshots.filter((s) => s.step > switchAt && s.step <= switchAt + JUMP_WINDOW);
  if (!at || !after.length) return null;
  const peak = after.reduce((best, s) => (s.loss > best.loss ? s : best));
  return { factor: peak.loss / at.loss, step: peak.step, complete: (snapshots.at(-1)?.step ?? 0) >= switchAt + JUMP_WINDOW };
}

/** When each peak was first learned (1-D: Δ_F below LEARNED) or each band fitted (2-D: below HALVED). */
export function frequencyEvents({ info, snapshots }: Omit<RunView<FitConfig, FitInfo>, 'config'>): RunEvent[] {
  const steps = snapshots.map((s) => s.step);
  const threshold = info.inputs === 2 ? HALVED : LEARNED;
  const events = frequencyNames(info).flatMap((name, i) => {
    const step = firstStepBelow(steps, snapshots.map((s) => FREQUENCY.of(s)?.relError[i] ?? Number.NaN), threshold);
    return step === null ? [] : [{ step, label: info.inputs === 2 ? `${name}: error below ${threshold}` : `${name} learned` }];
  });
  return events.sort((a, b) => a.step - b.step);
}

/** A fit's events: its frequencies', and around a loss switch the switch and, once its window has passed, the jump. */
export function fitEvents(run: RunView<FitConfig, FitInfo>): RunEvent[] {
  const events = frequencyEvents(run);
  const { train } = run.config;
  const switchAt = train.lossSwitchAt;
  if (switchAt != null && run.snapshots.some((s) => s.step >= switchAt)) {
    events.push({ step: switchAt, label: `switch to the ${LOSS_NAMES[train.loss === 'data' ? 'poisson' : 'data']}` });
    const jump = switchJump(run.snapshots, switchAt);
    if (jump?.complete) events.push({ step: jump.step, label: `error grew ${jump.factor.toFixed(jump.factor < 10 ? 1 : 0)}×` });
  }
  return events.sort((a, b) => a.step - b.step);
}

/**
 * A fit's headline: Δ_F at the highest peak (the last one learned; 2-D: the highest band); with a loss switch, the
 * error to the exact solution, which is what jumps.
 */
export function fitHeadline(snapshot: Snapshot, { config, info }: Omit<RunView<FitConfig, FitInfo>, 'snapshots'>): Headline | null {
  if (config.train.lossSwitchAt != null) return { label: 'error to u*', value: snapshot.loss.toExponential(2) };
  const errors = FREQUENCY.of(snapshot)?.relError;
  const names = frequencyNames(info);
  if (!errors?.length || !names.length) return null;
  return { label: `Δ_F(${names.at(-1)})`, value: errors[names.length - 1].toFixed(3) };
}
