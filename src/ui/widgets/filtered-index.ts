import type { Dialog } from '../../model/sip.js';
import { dialogMatches } from '../present/dialog-filter.js';

/** Dialogs scanned per frame, so typing a filter over a million dialogs never blocks keys for long. */
const SCAN_BUDGET = 100_000;

/**
 * Positions of the dialogs that pass the display filter. The store only grows, so matches are
 * appended as new dialogs are scanned; without a filter every dialog is shown and nothing is kept.
 */
export class FilteredIndex {
  private needle = '';
  private matches: number[] = [];
  private scanned = 0;

  get text(): string { return this.needle; }

  set(text: string): void {
    this.needle = text.toLowerCase();
    this.matches = [];
    this.scanned = 0;
  }

  /** Scans up to a frame's budget of new dialogs; true while some are still unscanned. */
  update(total: number, dialog: (i: number) => Dialog): boolean {
    if (this.needle === '') return false;
    const end = Math.min(total, this.scanned + SCAN_BUDGET);
    for (let i = this.scanned; i < end; i++) if (dialogMatches(dialog(i), this.needle)) this.matches.push(i);
    this.scanned = end;
    return end < total;
  }

  /** Rows the list shows. */
  count(total: number): number {
    return this.needle === '' ? total : this.matches.length;
  }

  /** Store index of list row `row`. */
  at(row: number): number {
    return this.needle === '' ? row : this.matches[row]!;
  }
}
