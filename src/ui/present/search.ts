import { cellWidth } from '../../layout/text-width.js';

/** One occurrence of the search text in a drawn string: its cell offset and the text as drawn. */
export interface SearchHit { x: number; text: string }

/** Where `needle` occurs in `text`, any case, as cell offsets for highlighting; none for an empty needle. */
export function findAll(text: string, needle: string, ascii: boolean): SearchHit[] {
  if (needle === '') return [];
  const hay = text.toLowerCase();
  const want = needle.toLowerCase();
  const hits: SearchHit[] = [];
  // toLowerCase keeps UTF-16 lengths for the scripts people search in; a mismatch only misplaces the highlight.
  for (let at = hay.indexOf(want); at >= 0; at = hay.indexOf(want, at + want.length)) {
    hits.push({ x: cellWidth(text.slice(0, at), ascii), text: text.slice(at, at + want.length) });
  }
  return hits;
}
