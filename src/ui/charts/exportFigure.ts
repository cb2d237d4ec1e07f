/**
 * Every chart as a file: `use:exportable` on a <figure> adds SVG, PNG, CSV and JSON buttons. The SVG is the
 * chart's own (styles inlined and CSS variables resolved, so it stands alone), with canvas layers (heat maps,
 * images) embedded as pictures and its legend below; the PNG is that SVG drawn at twice the size; CSV and JSON
 * hold the values the chart shows (chartData.ts).
 */
import { download } from '../download';
import { chartsCsv, chartsIn, chartsJson } from './chartData';
import { notationRuns } from './notation';

const STYLES = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity', 'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline'];

/** A copy of the chart's SVG that needs no stylesheet. */
function figureSvg(figure: HTMLElement): { svg: string; width: number; height: number } {
  const source = figure.querySelector<SVGSVGElement>('svg.chart-svg');
  if (!source) throw new Error('this figure has no chart');
  const box = source.getBoundingClientRect();
  const copy = source.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(box.width));
  copy.setAttribute('height', String(box.height));
  const originals = [source, ...source.querySelectorAll('*')];
  const copies = [copy, ...copy.querySelectorAll('*')];
  originals.forEach((element, i) => {
    const computed = getComputedStyle(element);
    const style = STYLES.map((name) => `${name}:${computed.getPropertyValue(name)}`).join(';');
    // CSS variables mean nothing without the page's stylesheet (other tools reject the colour): their values go in instead.
    const own = (copies[i].getAttribute('style') ?? '').split(';').filter((declaration) => !declaration.includes('var('));
    copies[i].setAttribute('style', [style, ...own].join(';'));
    for (const attribute of [...copies[i].attributes].filter((a) => a.value.includes('var('))) copies[i].setAttribute(attribute.name, computed.getPropertyValue(attribute.name));
  });
  // KaTeX needs the page's stylesheet: the file shows the SVG text under it (scripts as sub- and superscripts).
  copy.querySelectorAll('foreignObject.tex-label').forEach((typeset) => typeset.remove());
  // Canvas layers under the SVG (cells of a heat map, an image) go in as pictures, where they are drawn.
  const layers = [...(source.parentElement?.querySelectorAll('canvas') ?? [])].map((canvas) => {
    const at = canvas.getBoundingClientRect();
    const image = document.createElementNS('http://www.w3.org/2000/svg', 'image');
    Object.entries({ href: canvas.toDataURL('image/png'), x: at.left - box.left, y: at.top - box.top, width: at.width, height: at.height, preserveAspectRatio: 'none' }).forEach(([name, value]) =>
      image.setAttribute(name, String(value)),
    );
    return image;
  });
  copy.prepend(...layers);
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  Object.entries({ width: '100%', height: '100%', fill: '#ffffff' }).forEach(([name, value]) => background.setAttribute(name, value));
  copy.prepend(background);
  const height = box.height + appendLegend(figure, copy, box.height);
  copy.setAttribute('height', String(height));
  return { svg: new XMLSerializer().serializeToString(copy), width: box.width, height };
}

const LEGEND_ROW = 22;

/** The chart's legend (HTML beside the SVG) as SVG rows under it, so the file says what each colour is; returns their height. */
function appendLegend(figure: HTMLElement, svg: SVGSVGElement, top: number): number {
  const entries = [...figure.querySelectorAll<HTMLElement>('.legend li')];
  entries.forEach((entry, i) => {
    const swatch = entry.querySelector<HTMLElement>('.swatch');
    const color = (swatch && getComputedStyle(swatch).getPropertyValue('--swatch').trim()) || getComputedStyle(entry).color;
    const y = top + LEGEND_ROW * (i + 0.5);
    const mark = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    Object.entries({ x: 8, y: y - 6, width: 24, height: 4, fill: color }).forEach(([name, value]) => mark.setAttribute(name, String(value)));
    const label = document.createElementNS('http://www.w3.org/2000/svg', 'text');
    Object.entries({ x: 40, y, 'dominant-baseline': 'middle', 'font-family': getComputedStyle(entry).fontFamily, 'font-size': getComputedStyle(entry).fontSize, fill: '#111111' }).forEach(([name, value]) => label.setAttribute(name, String(value)));
    // The entry's name as written (its notation typeset on the page), scripts as SVG runs where it has any.
    const runs = notationRuns(entry.dataset.label ?? entry.textContent?.trim() ?? '');
    if (runs.every((run) => !run.shift)) label.textContent = runs.map((run) => run.text).join('');
    else
      for (const run of runs) {
        const span = document.createElementNS('http://www.w3.org/2000/svg', 'tspan');
        if (run.shift) Object.entries({ 'baseline-shift': run.shift, 'font-size': '75%' }).forEach(([name, value]) => span.setAttribute(name, value));
        span.textContent = run.text;
        label.append(span);
      }
    svg.append(mark, label);
  });
  return entries.length ? LEGEND_ROW * entries.length + 6 : 0;
}

async function pngOf(svg: string, width: number, height: number, scale = 2): Promise<Blob> {
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await image.decode();
  const canvas = Object.assign(document.createElement('canvas'), { width: Math.round(width * scale), height: Math.round(height * scale) });
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2-D canvas');
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png'));
}

function fileName(figure: HTMLElement): string {
  const caption = figure.querySelector('figcaption')?.textContent ?? 'chart';
  return caption.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'chart';
}

const FORMATS = ['svg', 'png', 'csv', 'json'] as const;

export async function exportFigure(figure: HTMLElement, format: (typeof FORMATS)[number]): Promise<void> {
  if (format === 'csv' || format === 'json') {
    const charts = chartsIn(figure);
    if (!charts.length) throw new Error('this figure has no chart data');
    download(`${fileName(figure)}.${format}`, format === 'csv' ? chartsCsv(charts) : chartsJson(charts), format === 'csv' ? 'text/csv' : 'application/json');
    return;
  }
  const { svg, width, height } = figureSvg(figure);
  if (format === 'svg') download(`${fileName(figure)}.svg`, svg, 'image/svg+xml');
  else download(`${fileName(figure)}.png`, await pngOf(svg, width, height));
}

const TITLES = { svg: 'as SVG', png: 'as PNG', csv: 'data as CSV', json: 'data as JSON' };

/** Svelte action: SVG, PNG, CSV and JSON buttons in the figure's corner. */
export function exportable(figure: HTMLElement): { destroy: () => void } {
  const bar = document.createElement('div');
  bar.className = 'figure-export';
  for (const format of FORMATS) {
    const button = Object.assign(document.createElement('button'), { type: 'button', textContent: format.toUpperCase(), title: `Download this chart ${TITLES[format]}` });
    button.addEventListener('click', () => void exportFigure(figure, format));
    bar.append(button);
  }
  figure.append(bar);
  return { destroy: () => bar.remove() };
}
