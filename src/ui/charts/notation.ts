/**
 * Notation in chart labels: a label is written as plain text with `_` and `^` scripts after a letter (`Δ_F`,
 * `|ŷ_k|`, `m^−2`, `d_in^-0.5`, `λ_max`, `Σ_{W}`), and shown typeset — KaTeX on the page, as the tour does, and
 * real sub- and superscripts (SVG tspans) in an exported file, which has no stylesheet for KaTeX.
 */
import katex from 'katex';
import 'katex/dist/katex.min.css';

export type NotationPart = { text: string } | { base: string; sub?: string; sup?: string };

/** A letter (with its accents) followed by one or two scripts: a sub/superscript is a brace group, or a word or number (signed). */
const SCRIPTED = /(\p{L}\p{M}*)([_^])(\{[^}]*\}|[−-]?[\p{L}\p{N}]+(?:\.\p{N}+)?)(?:([_^])(\{[^}]*\}|[−-]?[\p{L}\p{N}]+(?:\.\p{N}+)?))?/gu;

const unbrace = (script: string) => (script.startsWith('{') ? script.slice(1, -1) : script);

/** The label in parts: plain text, and letters with their scripts. */
export function notationParts(label: string): NotationPart[] {
  const parts: NotationPart[] = [];
  let at = 0;
  for (const match of label.matchAll(SCRIPTED)) {
    const [whole, base, mark1, script1, mark2, script2] = match;
    // `x_i_j` or `x^a^b`: not notation this parser knows; left as text.
    if (mark2 === mark1) continue;
    if (match.index > at) parts.push({ text: label.slice(at, match.index) });
    const part: { base: string; sub?: string; sup?: string } = { base };
    part[mark1 === '_' ? 'sub' : 'sup'] = unbrace(script1);
    if (mark2) part[mark2 === '_' ? 'sub' : 'sup'] = unbrace(script2);
    parts.push(part);
    at = match.index + whole.length;
  }
  if (at < label.length) parts.push({ text: label.slice(at) });
  return parts;
}

/** Whether a label has scripts to typeset. */
export const hasNotation = (label: string) => notationParts(label).some((part) => 'base' in part);

const ACCENTS: Record<string, string> = { '\u0302': '\\hat', '\u0304': '\\bar', '\u0303': '\\tilde', '\u0307': '\\dot' };

/** A letter as TeX: accents (ŷ, v̂) as commands, which KaTeX's strict mode asks for in math. */
function letterTex(letter: string): string {
  const [plain, ...marks] = [...letter.normalize('NFD')];
  return marks.reduce((tex, mark) => (ACCENTS[mark] ? `${ACCENTS[mark]}{${tex}}` : tex), plain);
}

/** A script as TeX: words of two letters or more upright (max, in), a minus sign for − and -. */
function scriptTex(script: string): string {
  const tex = script.replace(/−/g, '-');
  return /^\p{L}{2,}$/u.test(tex) ? `\\mathrm{${tex}}` : [...tex].map((c) => (/\p{L}\p{M}*/u.test(c) ? letterTex(c) : c)).join('');
}

export function partTex(part: Exclude<NotationPart, { text: string }>): string {
  return `${letterTex(part.base)}${part.sub !== undefined ? `_{${scriptTex(part.sub)}}` : ''}${part.sup !== undefined ? `^{${scriptTex(part.sup)}}` : ''}`;
}

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/** A scripted letter as words for a screen reader ("Δ F", "m to the −2"): KaTeX's HTML output is hidden from it. */
const spoken = (part: Exclude<NotationPart, { text: string }>) => [part.base, part.sub, part.sup === undefined ? undefined : `to the ${part.sup}`].filter((w) => w !== undefined).join(' ');

/**
 * The label as HTML: its text escaped, its scripted letters typeset by KaTeX. HTML output only, so the page's
 * text holds no TeX source (KaTeX's MathML carries it); a label on each formula says it aloud instead.
 */
export function notationHtml(label: string): string {
  return notationParts(label)
    .map((part) => ('text' in part ? escape(part.text) : `<span role="math" aria-label="${escape(spoken(part))}">${katex.renderToString(partTex(part), { output: 'html', throwOnError: false })}</span>`))
    .join('');
}

/** The label as SVG text runs: plain, subscript or superscript (an exported chart's readable fallback). */
export function notationRuns(label: string): { text: string; shift: 'sub' | 'super' | null }[] {
  return notationParts(label).flatMap((part) =>
    'text' in part
      ? [{ text: part.text, shift: null }]
      : [{ text: part.base, shift: null }, ...(part.sub !== undefined ? [{ text: part.sub, shift: 'sub' as const }] : []), ...(part.sup !== undefined ? [{ text: part.sup, shift: 'super' as const }] : [])],
  );
}
