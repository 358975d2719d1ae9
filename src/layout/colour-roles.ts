import type { Style } from './styled.js';

/**
 * The one table of what colour each style is: the terminal theme (ui/theme.ts) maps it to ANSI
 * palette entries, the SVG export (sink/flow-svg.ts) to colours that read on a white page, so a
 * picture of the ladder is coloured as the terminal is.
 */
export type Colour = 'black' | 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'white' | 'brightWhite' | 'grey';

export interface ColourRole {
  fg?: Colour;
  bg?: Colour;
  bold?: boolean;
  underline?: boolean;
}

// sngrep-like colours.
export const COLOUR_ROLES: Readonly<Record<Style, ColourRole>> = {
  default: {},
  dim: { fg: 'grey' },
  title: { bold: true },
  header: { fg: 'brightWhite', bg: 'blue', bold: true },
  selected: { fg: 'yellow', bold: true },
  cursor: { fg: 'black', bg: 'cyan' },
  match: { fg: 'yellow', bold: true, underline: true },
  time: { fg: 'grey' },
  address: { fg: 'cyan' },
  arrow: {},
  retrans: { fg: 'red' },
  request: { fg: 'yellow' },
  response1xx: { fg: 'cyan' },
  response2xx: { fg: 'green' },
  response3xx: { fg: 'magenta' },
  response4xx: { fg: 'red' },
  response5xx: { fg: 'red', bold: true },
  response6xx: { fg: 'red', bold: true },
  sipMethod: { fg: 'yellow', bold: true },
  sipStatus: { fg: 'green', bold: true },
  sipHeaderName: { fg: 'cyan' },
  sipHeaderValue: {},
  sipUri: { fg: 'magenta' },
  sdp: { fg: 'green' },
  media: { fg: 'magenta' },
  body: {},
  diffAdded: { fg: 'green', bold: true },
  diffRemoved: { fg: 'red', bold: true },
  placeholder: { fg: 'magenta', bold: true },
  stateSetup: { fg: 'yellow' },
  stateInCall: { fg: 'green' },
  stateCancelled: { fg: 'red' },
  stateRejected: { fg: 'red' },
  stateBusy: { fg: 'magenta' },
  stateDiverted: { fg: 'cyan' },
  stateCompleted: { fg: 'blue' },
  findingError: { fg: 'red', bold: true },
  findingWarning: { fg: 'yellow', bold: true },
  findingInfo: { fg: 'cyan' },
};

/** Palette entries of the 16 ANSI colours; grey depends on the colour depth (the theme decides). */
export const ANSI_INDEX: Readonly<Record<Exclude<Colour, 'grey'>, number>> = {
  black: 0, red: 1, green: 2, yellow: 3, blue: 4, magenta: 5, cyan: 6, white: 7, brightWhite: 15,
};

/** The same colours on a white page: darker, so yellow and cyan text stay readable; white text turns black. */
export const PAGE_COLOURS: Readonly<Record<Colour, string>> = {
  black: '#000000', red: '#c0392b', green: '#238a38', yellow: '#9a7400', blue: '#1f4fbf', magenta: '#a0309f', cyan: '#00829b',
  white: '#000000', brightWhite: '#000000', grey: '#777777',
};
