import type { StyledLine } from './styled.js';

export interface FooterEntry {
  key: string;
  label: string;
}

/**
 * The key hints on the bottom line, for `cols` cells: two blanks between entries when they all
 * fit, else one; an entry is shown whole or not at all, and the last one (Help) always keeps
 * its place.
 */
export function footerLine(entries: readonly FooterEntry[], cols: number): StyledLine {
  const size = (e: FooterEntry, gap: number): number => e.key.length + 1 + e.label.length + gap;
  const wide = entries.reduce((w, e) => w + size(e, 2), 0) <= cols;
  const gap = wide ? 2 : 1;
  const last = entries[entries.length - 1];
  const reserved = last === undefined ? 0 : size(last, 0);
  const out: StyledLine = [];
  let x = 0;
  for (const e of entries) {
    if (x + size(e, 0) + (e === last ? 0 : reserved + gap) > cols) continue;
    out.push({ text: e.key, style: 'title' }, { text: ` ${e.label}${' '.repeat(gap)}`, style: 'dim' });
    x += size(e, gap);
  }
  return out;
}
