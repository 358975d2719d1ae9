import type { Severity } from '../model/finding.js';

/** Line-drawing characters of the ladder; --ascii swaps the box-drawing set for plain ASCII. */
export interface FlowGlyphs {
  lifeline: string;
  /** Lifeline of the overflow lane (columns that did not fit). */
  overflowLine: string;
  line: string;
  /** Arrow line of a message marked for compare. */
  markedLine: string;
  /** Arrow line of an RTP stream or a key press: media, not signalling. */
  mediaLine: string;
  /** Where a column's rule meets its lifeline. */
  tee: string;
  /** Corners of an arrow that loops back to its own column. */
  loopTop: string;
  loopBottom: string;
  right: string;
  left: string;
  /** The mark beside a message a diagnosis finding points at (its colour says the severity; ASCII says it in a letter). */
  finding: Readonly<Record<Severity, string>>;
}

const UTF8: FlowGlyphs = {
  lifeline: '│', overflowLine: '┊', line: '─', markedLine: '═', mediaLine: '╌', tee: '┬', loopTop: '┐', loopBottom: '┘', right: '>', left: '<',
  finding: { error: '●', warning: '●', info: '○' },
};

const ASCII: FlowGlyphs = {
  lifeline: '|', overflowLine: ':', line: '-', markedLine: '=', mediaLine: '.', tee: '+', loopTop: '+', loopBottom: '+', right: '>', left: '<',
  finding: { error: 'E', warning: 'W', info: 'i' },
};

export function flowGlyphs(ascii: boolean): FlowGlyphs {
  return ascii ? ASCII : UTF8;
}
