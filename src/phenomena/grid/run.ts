/**
 * A grid sweep as a run: the cells train one after another, each through its own phenomenon's run, `advance`
 * training the current cell a snapshot interval at a time; a cell that ends is summarized by the measurements of
 * its last snapshot (probes/columns.ts) and freed.
 */
import type { NamedTensor } from '../../core/models/model';
import { snapshotColumns } from '../../core/probes/columns';
import { metricKey } from '../../core/probes/probe';
import type { AdvanceResult, RunInfo, RunSession, Snapshot } from '../../core/run/types';
import { parseConfig, phenomenonOf, type AnyConfig } from '../engine';
import type { RunSources } from '../types';
import { gridCells, type GridConfig } from './schema';

export interface GridState {
  /** `verdict`: the cell's phenomenon's word for its summary (Phenomenon.cell), where it has one. */
  cells: { values: unknown[]; summary?: Record<string, number>; verdict?: string; diverged?: string }[];
  /** The cell training now (cells.length when all this run's cells are done). */
  current: number;
}

export const GRID = metricKey<GridState>('grid');

export class GridRun implements RunSession {
  readonly info: RunInfo;
  readonly trainingPath = 'sweep';
  readonly initialParams: readonly NamedTensor[] = [];
  private readonly configs: AnyConfig[];
  /** The cells this run trains, in order (a shard's, or all). */
  private readonly order: readonly number[];
  /** Where in `order` the run is. */
  private position = 0;
  private state: GridState;
  private session: RunSession | null = null;
  /** Steps of the finished cells. */
  private doneSteps = 0;

  constructor(
    private readonly config: GridConfig,
    private readonly sources: RunSources,
    cells?: readonly number[],
  ) {
    const all = gridCells(config);
    this.configs = all.map((cell) => parseConfig(cell.config));
    this.order = cells ?? all.map((_, i) => i);
    this.state = { cells: all.map(({ values }) => ({ values })), current: this.cellAt(0) };
    this.info = { parameterCount: 0 };
  }

  /** Each cell's own schedule; the total assumes every cell runs to its end. */
  get schedule() {
    const every = this.session?.schedule.every ?? 1;
    const rest = this.order.slice(this.position).map((i) => this.configs[i]);
    return { every, total: this.doneSteps + rest.reduce((sum, config) => sum + phenomenonOf(config).length(config), 0) };
  }

  get step(): number {
    return this.doneSteps + (this.session?.step ?? 0);
  }

  get finished(): boolean {
    return this.position >= this.order.length;
  }

  async advance(steps: number): Promise<AdvanceResult> {
    if (!this.finished) {
      const session = (this.session ??= await this.startCell());
      const result = await session.advance(steps);
      if (result.status !== 'running') await this.endCell(result);
    }
    return { status: this.finished ? 'done' : 'running', snapshot: await this.snapshot() };
  }

  async snapshot(): Promise<Snapshot> {
    return { step: this.step, loss: Number.NaN, metrics: { [GRID.name]: { cells: this.state.cells.map((cell) => ({ ...cell })), current: this.state.current } } };
  }

  reset(): void {
    this.session?.dispose();
    this.session = null;
    this.doneSteps = 0;
    this.position = 0;
    this.state = { cells: this.state.cells.map(({ values }) => ({ values })), current: this.cellAt(0) };
  }

  readParams(): Promise<NamedTensor[]> {
    return Promise.resolve([]);
  }

  dispose(): void {
    this.session?.dispose();
    this.session = null;
  }

  private async startCell(): Promise<RunSession> {
    const config = this.configs[this.state.current];
    const phenomenon = phenomenonOf(config);
    return phenomenon.start(await phenomenon.prepare(config, this.sources), this.sources, {});
  }

  private async endCell(result: AdvanceResult): Promise<void> {
    const session = this.session as RunSession;
    const cell = this.state.cells[this.state.current];
    if (result.status === 'diverged') cell.diverged = result.message;
    const last = result.status === 'diverged' ? await session.snapshot() : result.snapshot;
    const judge = phenomenonOf(this.configs[this.state.current]).cell;
    cell.summary = { ...Object.fromEntries(snapshotColumns(last, session.info)), ...judge?.measures(last) };
    if (judge) cell.verdict = judge.verdict(cell.summary);
    this.doneSteps += session.step;
    session.dispose();
    this.session = null;
    this.position++;
    this.state.current = this.cellAt(this.position);
  }

  /** The cell at a position of this run's order; past the end, the number of cells (none trains). */
  private cellAt(position: number): number {
    return this.order[position] ?? this.configs.length;
  }
}
