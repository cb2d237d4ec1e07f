/**
 * The runs of a page, tied to its link: one run alone, or two compared side by side with the same seed, data,
 * backend and schedule (run B takes them from run A). Each run has its own link parameters (run B's under
 * "b."); one play bar drives them all.
 */
import { getByPath, setByPath } from '../core/config/overrides';
import type { ExperimentConfig } from '../core/config/schema';
import { decodeSearch, URL_FIELDS, URL_VERSION, writeConfigParams } from '../core/config/url';
import { parseExperiment, problemText, type RunConfig } from '../core/config/validate';
import { replaceSearch } from './controls/shortcuts';
import { Runner, RunGroup } from './runner.svelte';

const SCOPES = ['', 'b'];
/** What a fair comparison keeps equal. */
const SHARED = ['seed', 'backend', 'data', 'train.steps', 'train.snapshotEvery'];

/** How a kind of config is read from a link: its URL parameters and its validation. */
export interface LinkFormat<C extends RunConfig> {
  fields: Record<string, string>;
  parse: (input: unknown) => C;
}

export const EXPERIMENT_LINKS: LinkFormat<ExperimentConfig> = { fields: URL_FIELDS, parse: parseExperiment };

export class LinkedRuns<C extends RunConfig = ExperimentConfig> {
  readonly runners: Runner<C>[];
  readonly group: RunGroup;
  /** Link parameters that could not be used, with the reason. */
  readonly notices: string[];

  /**
   * `bases`: the runs as the experiment files define them (one, or two to compare); the page's link is applied
   * on top. `checkLink` may refuse a decoded config: the base is kept and its reason shown.
   */
  constructor(
    private readonly bases: [C] | [C, C],
    checkLink: (config: C) => string | null = () => null,
    private readonly format: LinkFormat<C> = EXPERIMENT_LINKS as unknown as LinkFormat<C>,
  ) {
    this.runners = bases.map(() => new Runner<C>());
    this.group = new RunGroup(this.runners);
    const decoded = bases.map((base, i) => {
      const { config, notices } = decodeSearch(window.location.search, base, format.fields, format.parse, SCOPES[i]);
      const refused = checkLink(config);
      return refused ? { config: base, notices: [...notices, refused] } : { config, notices };
    });
    this.notices = decoded.flatMap((d) => d.notices);
    const initial = decoded.map((d, i) => (i === 0 ? d.config : this.sharedFrom(decoded[0].config, d.config)));
    this.runners.forEach((runner, i) => void runner.load(initial[i]));
  }

  private sharedFrom(a: C, b: C): C {
    return this.format.parse(SHARED.reduce<unknown>((config, path) => setByPath(config, path, getByPath(a, path)), b));
  }

  /** Changes one field of run `index`; returns why it was refused, or null. Run B follows run A's shared fields. */
  change(index: number, path: string, value: unknown): string | null {
    const current = this.runners.map((r) => r.config);
    if (current.some((c) => !c)) return 'the runs are still loading';
    let next: C;
    try {
      next = this.format.parse(setByPath(current[index], path, value));
    } catch (error) {
      return problemText(error);
    }
    const configs = [...current] as C[];
    configs[index] = next;
    if (index === 0 && configs.length > 1) configs[1] = this.sharedFrom(next, configs[1]);
    const params = new URLSearchParams({ v: URL_VERSION });
    configs.forEach((config, i) => writeConfigParams(params, config, this.bases[i], SCOPES[i], this.format.fields));
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
