/**
 * The runs of a page, tied to its link: one run alone, or two compared side by side with the same seed, data,
 * backend and schedule (run B takes them from run A). Each run has its own link parameters (run B's under
 * "b."); one play bar drives them all.
 */
import { getByPath, setByPath } from '../core/config/overrides';
import { decodeSearch, URL_VERSION, writeConfigParams } from '../core/config/url';
import { ConfigError, parseWith, problemText } from '../core/config/validate';
import type { RunInfo } from '../core/run/types';
import { readRunFile, type RunRecord } from '../engine/runFile';
import { phenomenonOf, type AnyConfig } from '../phenomena/engine';
import { replaceSearch } from './controls/shortcuts';
import { Runner, RunGroup } from './runner.svelte';
import { slowWarning } from './slowConfig';
import { currentRuns, keepCurrent, saveRun } from './savedRuns';

/**
 * How often a page looks whether its runs changed and writes them to IndexedDB. A write clones the snapshots
 * added since the last one (on the page's thread): at a hundred snapshots a second, 15 s of them took 100 ms.
 */
const AUTOSAVE_MS = 3000;

const SCOPES = ['', 'b'];
/** What a fair comparison keeps equal. */
const SHARED = ['seed', 'backend', 'data', 'train.steps', 'train.snapshotEvery'];

/** How a kind of config is read from a link: its URL parameters and its validation (its phenomenon's). */
interface LinkFormat<C extends AnyConfig> {
  fields: Readonly<Record<string, string>>;
  parse: (input: unknown) => C;
}

export class LinkedRuns<C extends AnyConfig = AnyConfig, I extends RunInfo = RunInfo> {
  readonly runners: Runner<C, I>[];
  readonly group: RunGroup;
  /** Link parameters that could not be used, with the reason. */
  readonly notices: string[];

  /**
   * `bases`: the runs as the experiment files define them (one, or two to compare); the page's link is applied
   * on top. `checkLink` may refuse a decoded config: the base is kept and its reason shown.
   */
  /** The page's hash: the key of its current runs in IndexedDB. */
  readonly page = window.location.hash;
  /** Resolves once the runs are loaded or restored. */
  readonly ready: Promise<void>;
  private readonly autosave: ReturnType<typeof setInterval>;
  private lastSaved = '';

  private readonly format: LinkFormat<C>;

  constructor(
    private readonly bases: [C] | [C, C],
    checkLink: (config: C) => string | null = () => null,
  ) {
    const phenomenon = phenomenonOf(bases[0]);
    this.format = { fields: phenomenon.links, parse: (input) => parseWith(phenomenon.schema, input) as C };
    const format = this.format;
    this.runners = bases.map(() => new Runner<C, I>());
    this.group = new RunGroup(this.runners);
    const decoded = bases.map((base, i) => {
      const { config, notices } = decodeSearch(window.location.search, base, format.fields, format.parse, SCOPES[i]);
      const refused = checkLink(config);
      return refused ? { config: base, notices: [...notices, refused] } : { config, notices };
    });
    this.notices = decoded.flatMap((d) => d.notices);
    const initial = decoded.map((d, i) => (i === 0 ? d.config : this.sharedFrom(decoded[0].config, d.config)));
    const linked = [...new URLSearchParams(window.location.search).keys()].some((key) => key !== 'v');
    this.ready = this.start(initial, linked);
    this.autosave = setInterval(() => void this.keep(), AUTOSAVE_MS);
    document.addEventListener('visibilitychange', this.keepWhenHidden);
  }

  /**
   * Restores the page's last runs (a reload, a reopened tab, a saved run opened) unless the link asks for
   * other settings; otherwise starts the linked runs.
   */
  private async start(initial: C[], linked: boolean): Promise<void> {
    const saved = await currentRuns(this.page).catch(() => null);
    const sameConfig = (config: unknown, i: number) => {
      try {
        return JSON.stringify(this.format.parse(config)) === JSON.stringify(initial[i]);
      } catch {
        return false;
      }
    };
    if (saved && saved.length === this.runners.length && (!linked || saved.every((record, i) => sameConfig(record.config, i)))) {
      await this.restoreRecords(saved);
      this.lastSaved = this.fingerprint();
    } else {
      // A link to a config that will train slowly asks first, as the editor and the settings do; declined, the
      // page starts from its experiment files (the link is rewritten to them) and says why.
      const slow = linked ? this.slowWarning(initial, initial.map(() => true)) : null;
      const declined = slow !== null && !window.confirm(`This link's config will train slowly: ${slow}. Start it?`);
      await Promise.all(this.runners.map((runner, i) => runner.load(declined ? this.bases[i] : initial[i])));
      if (declined) {
        this.runners[0].message = `the experiment file's settings are used instead of the link's, which will train slowly: ${slow}`;
        this.writeLink();
      }
    }
    // A run the engine refused (a link, a run kept by an older version) starts from its experiment file instead,
    // so the page always has runs to play and settings to change.
    const refused = this.runners.filter((runner) => !runner.config);
    await Promise.all(
      this.runners.map(async (runner, i) => {
        const reason = runner.message;
        if (!runner.config && (await runner.load(this.bases[i]))) runner.message = `${reason}; the experiment file's settings are used instead`;
      }),
    );
    if (refused.length) this.writeLink();
  }

  /** Writes the runs' configs, as the engine accepted them, into the page's link. */
  private writeLink(): void {
    const params = new URLSearchParams({ v: URL_VERSION });
    this.runners.forEach((runner, i) => {
      if (runner.config) writeConfigParams(params, runner.config, this.bases[i], SCOPES[i], this.format.fields);
    });
    replaceSearch(params.toString());
  }

  private readonly keepWhenHidden = () => {
    if (document.hidden) void this.keep();
  };

  /** What changes when the runs do: their configs and steps. */
  private fingerprint(): string {
    return JSON.stringify(this.runners.map((r) => [r.config, r.recorded.at(-1)?.step, r.status]));
  }

  /** Writes the runs to IndexedDB when they changed since the last write. */
  private async keep(): Promise<void> {
    const fingerprint = this.fingerprint();
    if (fingerprint === this.lastSaved || this.runners.some((r) => r.status === 'loading' || !r.snapshot)) return;
    this.lastSaved = fingerprint;
    try {
      await keepCurrent(this.page, await Promise.all(this.runners.map((r) => r.toPackedRecord())));
    } catch {
      // Private browsing without IndexedDB: the runs still work, they are only not kept.
    }
  }

  /** The runs as records (config, snapshots, weights). */
  records(): Promise<RunRecord[]> {
    return Promise.all(this.runners.map((r) => r.toRecord()));
  }

  /** The runs as one JSON file: a single record, or `{ runs }` for a comparison. */
  async exportJson(): Promise<string> {
    const records = await this.records();
    return JSON.stringify(records.length === 1 ? records[0] : { runs: records });
  }

  /** Saves the runs under `name` in the run list. */
  async save(name: string): Promise<void> {
    await saveRun(name, this.page, await this.records());
  }

  /** Opens a run file on this page: returns why it cannot, or null. The link is rewritten to match. */
  async importJson(text: string): Promise<string | null> {
    let records: RunRecord[];
    try {
      records = readRunFile(text);
    } catch (error) {
      return `cannot open the file: ${problemText(error)}`;
    }
    const part = records.find((record) => record.shard)?.shard;
    if (part) return `the file is part ${part.index}/${part.of} of a sweep: merge its parts first (npm run merge -- part-*.json --out sweep.json)`;
    if (records.length !== this.runners.length) return `the file holds ${records.length} run(s); this page shows ${this.runners.length}`;
    const wrong = records.find((record, i) => record.config.phenomenon !== this.runners[i].config?.phenomenon);
    if (wrong) return `the file holds a ${wrong.config.phenomenon} run; open it on its own page`;
    try {
      records.forEach((record) => this.format.parse(record.config));
    } catch (error) {
      return problemText(error);
    }
    await this.restoreRecords(records);
    return null;
  }

  private async restoreRecords(records: RunRecord[]): Promise<void> {
    await Promise.all(this.runners.map((runner, i) => runner.restore(records[i])));
    this.writeLink();
  }

  private sharedFrom(a: C, b: C): C {
    // Only what the configs have: a phenomenon without `data` (a task generated in the worker) would get an unknown key.
    const shared = SHARED.filter((path) => getByPath(a, path) !== undefined);
    return this.format.parse(shared.reduce<unknown>((config, path) => setByPath(config, path, getByPath(a, path)), b));
  }

  /** Changes one field of run `index`; returns why it was refused, or null. Run B follows run A's shared fields. */
  change(index: number, path: string, value: unknown): string | null {
    const current = this.runners[index].config;
    if (!current) return 'the run is still loading';
    return this.replace(index, setByPath(current, path, value));
  }

  /** Replaces run `index`'s whole config (untrusted, e.g. from the editor); returns why it was refused, or null. */
  replace(index: number, input: unknown): string | null {
    const current = this.runners.map((r) => r.config);
    if (current.some((c) => !c)) return 'the runs are still loading';
    const configs = [...current] as unknown[];
    configs[index] = input;
    return this.replaceAll(configs, (i) => i === index);
  }

  /**
   * A preset: the experiment files' runs with these fields set (one map per run; a missing map leaves that run
   * as its file has it). Starts from the files, not the current settings, so a preset always gives the same
   * picture; only the backend, a property of the machine, is kept.
   */
  applyPreset(assignments: readonly Record<string, unknown>[]): string | null {
    const configs = this.bases.map((base, i) => {
      const kept = setByPath(base, 'backend', this.runners[i].config?.backend ?? base.backend);
      return Object.entries(assignments[i] ?? {}).reduce<unknown>((config, [path, value]) => setByPath(config, path, value), kept);
    });
    return this.replaceAll(configs, () => true);
  }

  /**
   * Validates every run's config (untrusted) and starts those that `restart` names or that changed (run B follows
   * run A's shared fields); returns why they were refused, or null. The link is written once the engine has
   * taken them, with what it took: a config it refuses leaves both the link and the current run as they were.
   */
  private replaceAll(inputs: unknown[], restart: (index: number) => boolean): string | null {
    let configs: C[];
    try {
      configs = inputs.map((input) => this.format.parse(input));
      if (configs.length > 1 && restart(0)) configs[1] = this.sharedFrom(configs[0], configs[1]);
    } catch (error) {
      return problemText(error);
    }
    const starting = configs.map((config, i) => restart(i) || JSON.stringify(config) !== JSON.stringify(this.runners[i].config));
    const slow = this.slowWarning(configs, starting);
    if (slow && !window.confirm(`This config will train slowly: ${slow}. Start it?`)) return `kept the current run: ${slow}`;
    const loads = configs.map((config, i) => {
      if (starting[i]) return this.runners[i].load(config);
    });
    void Promise.all(loads).then(() => this.writeLink());
    return null;
  }

  /** Why a config about to start will train slowly (its size, and its time a step at the current run's rate), or null. */
  private slowWarning(configs: C[], starting: boolean[]): string | null {
    const cost = phenomenonOf(configs[0]).stepCost;
    if (!cost) return null;
    const warnings = configs.map((config, i) => {
      if (!starting[i]) return null;
      const { config: current, secondsPerStep } = this.runners[i];
      const rate = current && secondsPerStep !== null ? { ...cost(current), secondsPerStep } : null;
      const warning = slowWarning(cost(config), rate, Number(getByPath(config, 'train.snapshotEvery') ?? 1));
      return warning && configs.length > 1 ? `run ${'AB'[i]}: ${warning}` : warning;
    });
    return warnings.filter((w) => w !== null).join('; ') || null;
  }

  /** Validates untrusted config input as this page's kind of config: the problems (fields named), or none. */
  problems(input: unknown): string[] {
    try {
      this.format.parse(input);
      return [];
    } catch (error) {
      return error instanceof ConfigError ? error.problems : [(error as Error).message];
    }
  }

  /** A new seed for run A, which run B shares: both still start from the same draw. */
  reseed(): void {
    this.change(0, 'seed', Math.floor(Math.random() * 2 ** 31));
  }

  dispose(): void {
    clearInterval(this.autosave);
    document.removeEventListener('visibilitychange', this.keepWhenHidden);
    void this.keep().finally(() => this.group.dispose());
  }
}
