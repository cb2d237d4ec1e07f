/** Axes, axis labels and the plot group shared by the d3 charts; every call updates in place (join). */
import * as d3 from 'd3';
import { hasNotation, notationHtml, notationRuns } from './notation';

export interface Frame {
  innerW: number;
  innerH: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

/** The axis type size in px (the theme's --axis, which grows with the screen), as the chart's SVG has it. */
export function axisSize(svg: SVGSVGElement): number {
  return parseFloat(getComputedStyle(svg).fontSize) || 15;
}

/** Margins that hold the tick labels and axis titles at type size `a` px; `colorBar`: room for a bar on the right. */
export function margins(a: number, colorBar = false): Frame['margin'] {
  return { top: Math.round(0.8 * a), right: Math.round(colorBar ? COLOR_BAR_GAP + 22 + 4.4 * a : a), bottom: Math.round(3.5 * a), left: Math.round(4.8 * a) };
}

/** Space between a plot and its colour bar. */
const COLOR_BAR_GAP = 16;

export function frame(width: number, height: number, margin: Frame['margin']): Frame {
  return { margin, innerW: Math.max(10, width - margin.left - margin.right), innerH: Math.max(10, height - margin.top - margin.bottom) };
}

/**
 * A chart's height: pixels, or any CSS length (`var(--key-chart)`, `calc(…)`), so a page can size its key chart
 * to the space the viewport leaves; the chart draws at the height its box measures.
 */
export type ChartHeight = number | string;

export function cssLength(height: ChartHeight): string {
  return typeof height === 'number' ? `${height}px` : height;
}

type Plot = d3.Selection<SVGGElement, null, null, undefined>;

export function drawFrame(
  svg: SVGSVGElement,
  { innerW, innerH, margin }: Frame,
  xAxis: d3.Axis<d3.NumberValue>,
  yAxis: d3.Axis<d3.NumberValue> | d3.Axis<string>,
  xLabel: string,
  yLabel: string,
): Plot {
  const plot = d3
    .select(svg as SVGSVGElement | null)
    .selectAll<SVGGElement, null>('g.plot')
    .data([null])
    .join('g')
    .attr('class', 'plot')
    .attr('transform', `translate(${margin.left},${margin.top})`) as unknown as Plot;
  plot.selectAll<SVGGElement, null>('g.x-axis').data([null]).join('g').attr('class', 'x-axis').attr('transform', `translate(0,${innerH})`).call(xAxis);
  plot.selectAll<SVGGElement, null>('g.y-axis').data([null]).join('g').attr('class', 'y-axis').call(yAxis as d3.Axis<d3.NumberValue>);
  axisLabel(plot, 'x-label', xLabel, `translate(${innerW / 2},${innerH + margin.bottom - 8})`, innerW);
  axisLabel(plot, 'y-label', yLabel, `translate(${16 - margin.left},${innerH / 2}) rotate(-90)`, innerH);
  return plot;
}

/**
 * A vertical colour bar with its axis and label right of a plot `width` px wide and `height` px tall, inside the
 * right margin that margins(a, true) leaves (its label clear of a chart beside it).
 */
export function drawColorBar(
  svg: SVGSVGElement,
  plot: Plot,
  { color, domain, height, width, label, id }: { color: (v: number) => string; domain: [number, number]; height: number; width: number; label: string; id: string },
): void {
  const a = axisSize(svg);
  const stops = d3.range(0, 1.0001, 0.1).map((t) => domain[0] + t * (domain[1] - domain[0]));
  d3.select(svg as SVGSVGElement | null).selectAll('defs').data([null]).join('defs').selectAll('linearGradient').data([null]).join('linearGradient')
    .attr('id', id).attr('x1', 0).attr('x2', 0).attr('y1', 1).attr('y2', 0)
    .selectAll('stop').data(stops).join('stop').attr('offset', (_, i) => i / (stops.length - 1)).attr('stop-color', (d) => color(d));
  const bar = plot.selectAll<SVGGElement, null>('g.colorbar').data([null]).join('g').attr('class', 'colorbar').attr('transform', `translate(${width + COLOR_BAR_GAP},0)`);
  bar.selectAll('rect').data([null]).join('rect').attr('width', 16).attr('height', height).attr('fill', `url(#${id})`);
  bar.selectAll<SVGGElement, null>('g.bar-axis').data([null]).join('g').attr('class', 'bar-axis').attr('transform', 'translate(16,0)').call(d3.axisRight(d3.scaleLinear().domain(domain).range([height, 0])).ticks(5));
  axisLabel(bar, 'bar-label', label, `translate(${Math.round(22 + 3.6 * a)},${height / 2}) rotate(90)`, height);
}

/**
 * An axis title centred on its baseline at `transform`, `length` px of room along it. SVG text, with scripts as
 * sub- and superscript runs, is what an exported file shows; on the page a label with notation is typeset by
 * KaTeX in a foreignObject over it (the text then only holds its place: class `typeset`).
 */
function axisLabel(parent: d3.Selection<SVGGElement, null, d3.BaseType, unknown>, name: string, label: string, transform: string, length: number): void {
  const typeset = hasNotation(label);
  const text = parent.selectAll<SVGTextElement, string>(`text.${name}`).data([label]).join('text').attr('class', `${name} axis-label`).classed('typeset', typeset).attr('transform', transform).attr('text-anchor', 'middle');
  text.selectAll('tspan').data(notationRuns(label)).join('tspan').attr('baseline-shift', (d) => d.shift).attr('font-size', (d) => (d.shift ? '75%' : null)).text((d) => d.text);
  const tex = parent.selectAll<SVGForeignObjectElement, string>(`foreignObject.${name}`).data(typeset ? [label] : []).join('foreignObject').attr('class', `${name} tex-label`).attr('transform', transform);
  // The box spans the baseline's line of type: from 1.3 em above it (superscripts) to 0.5 em below (subscripts).
  tex.attr('x', -length / 2).attr('width', length).attr('y', '-1.3em').attr('height', '1.8em');
  tex.selectAll('div').data((d) => [d]).join('xhtml:div').html((d) => notationHtml(d));
}
