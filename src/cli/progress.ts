/**
 * How the headless runner shows progress on stderr: a bar with rate and time left on a terminal (cli-progress),
 * plain lines in a log (about twenty a run), or JSON lines that a parent process (`--jobs`) or a cluster's tooling
 * reads.
 */
import { SingleBar } from 'cli-progress';

export const PROGRESS_STYLES = ['bar', 'lines', 'json'] as const;
export type ProgressStyle = (typeof PROGRESS_STYLES)[number];

export interface Progress {
  /** `done` of `total` units (steps, or a sweep's cells); `text`: the run's measures now. */
  update(done: number, total: number, text: string): void;
  stop(): void;
}

/** What a JSON progress line holds. */
export interface ProgressLine {
  done: number;
  total: number;
  text: string;
}

export function makeProgress(style: ProgressStyle, unit: string): Progress {
  if (style === 'json') {
    return { update: (done, total, text) => process.stderr.write(`${JSON.stringify({ done, total, text } satisfies ProgressLine)}\n`), stop: () => {} };
  }
  if (style === 'lines') {
    let next = 0;
    return {
      update: (done, total, text) => {
        if (done < next && done < total) return;
        next = done + Math.max(1, Math.round(total / 20));
        process.stderr.write(`${unit} ${done}/${total}  ${text}\n`);
      },
      stop: () => {},
    };
  }
  const bar = new SingleBar({
    format: `{bar} {percentage}% | {value}/{total} ${unit} | {speed} ${unit}/s | {eta_formatted} left | {text}`,
    stream: process.stderr,
    hideCursor: true,
    etaBuffer: 50,
    barsize: 24,
  });
  const started = performance.now();
  let begun = false;
  return {
    update: (done, total, text) => {
      const speed = (done / Math.max(1e-3, (performance.now() - started) / 1000)).toPrecision(3);
      // Long measures would wrap the line, and a wrapped bar redraws as a new line each time.
      const payload = { speed, text: text.length > 60 ? `${text.slice(0, 59)}…` : text };
      if (!begun) bar.start(total, done, payload);
      else {
        bar.setTotal(total);
        bar.update(done, payload);
      }
      begun = true;
    },
    stop: () => bar.stop(),
  };
}
