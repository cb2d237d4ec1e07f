/**
 * The runs of a page, tied to its link: one run alone, or two compared side by side with the same seed, data,
 * backend and schedule (run B takes them from run A). Each run has its own link parameters (run B's under
 * "b."); one play bar drives them all.
 */
import { getByPath, setByPath } from '../core/config/overrides';
import type { ExperimentConfig } from '../core/config/schema';
import { decodeConfigFromSearch, URL_VERSION, writeConfigParams } from '../core/config/url';
import { parseExperiment, problemText } from '../core/config/validate';
import { replaceSearch } from './controls/shortcuts';
import { Runner, RunGroup } from './runner.svelte';

const SCOPES = ['', 'b'];
/** What a fair comparison keeps equal. */
const SHARED = ['seed', 'backend', 'data', 'train.steps', 'train.snapshotEvery'];

function sharedFrom(a: ExperimentConfig, b: ExperimentConfig): ExperimentConfig {
  return parseExperiment(SHARED.reduce<unknown>((config, path) => setByPath(config, path, getByPath(a, path)), b));
}

export class LinkedRuns {
  readonly runners: Runner[];
  readonly group: RunGroup;
  /** Link parameters that could not be used, with the reason. */
  readonly notices: string[];

  /**
   * `bases`: the runs as the experiment files define them (one, or two to compare); the page's link is applied
   * on top. `checkLink` may refuse a decoded config: the base is kept and its reason shown.
   */
  constructor(
    private readonly bases: [ExperimentConfig] | [ExperimentConfig, ExperimentConfig],
    checkLink: (config: ExperimentConfig) => string | null = () => null,
  ) {
    this.runners = bases.map(() => new Runner());
    this.group = new RunGroup(this.runners);
    const decoded = bases.map((base, i) => {
      const { config, notices } = decodeConfigFromSearch(window.location.search, base, SCOPES[i]);
      const refused = checkLink(config);
      return refused ? { config: base, notices: [...notices, refused] } : { config, notices };
    });
    this.notices = decoded.flatMap((d) => d.notices);
    const initial = decoded.map((d, i) => (i === 0 ? d.config : sharedFrom(decoded[0].config, d.config)));
    this.runners.forEach((runner, i) => void runner.load(initial[i]));
  }

  /** Changes one field of run `index`; returns why it was refused, or null. Run B follows run A's shared fields. */
  change(index: number, path: string, value: unknown): string | null {
    const current = this.runners.map((r) => r.config);
    if (current.some((c) => !c)) return 'the runs are still loading';
    let next: ExperimentConfig;
    try {
      next = parseExperiment(setByPath(current[index], path, value));
    } catch (error) {
      return problemText(error);
    }
    const configs = [...current] as ExperimentConfig[];
    configs[index] = next;
    if (index === 0 && configs.length > 1) configs[1] = sharedFrom(next, configs[1]);
    const params = new URLSearchParams({ v: URL_VERSION });
    configs.forEach((config, i) => writeConfigParams(params, config, this.bases[i], SCOPES[i]));
    replaceSearch(params.toString());
    configs.forEach((config, i) => {
      // Run B restarts only when a shared field of run A changed it.
      if (i === index || JSON.stringify(config) !== JSON.stringify(current[i])) void this.runners[i].load(config);
    });
    return null;
  }

  /** A new seed for run A, which run B shares: both still start from the same draw. */
  reseed(): void {
    this.change(0, 'seed', Math.floor(Math.random() * 2 ** 31));
  }

  dispose(): void {
    this.group.dispose();
  }
}
