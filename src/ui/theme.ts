import { ANSI_INDEX, COLOUR_ROLES, type Colour } from '../layout/colour-roles.js';
import type { Style } from '../layout/styled.js';

/** Colour depth the terminal gets: 256 colours, 16 or 8 ANSI colours, or none (NO_COLOR, mono terminals). */
export type ColorDepth = 256 | 16 | 8 | 0;

/** A style name → terminal cell attribute (blessed packs flags, fg and bg into one number). */
export type Theme = Readonly<Record<Style, number>>;

const DEFAULT = 0x1ff;
const BOLD = 1;
const UNDERLINE = 2;
const INVERSE = 8;

interface Look { fg?: number; bg?: number; bold?: boolean; underline?: boolean; inverse?: boolean }

export function attr(look: Look): number {
  const flags = (look.bold ? BOLD : 0) | (look.underline ? UNDERLINE : 0) | (look.inverse ? INVERSE : 0);
  return (flags << 18) | ((look.fg ?? DEFAULT) << 9) | (look.bg ?? DEFAULT);
}

/**
 * The shared colour roles (layout/colour-roles.ts) as ANSI attributes; 256-colour terminals get a
 * softer grey for secondary text. With 8 colours there is no grey (bright black would become
 * black, invisible on a dark background). Dark blue text reads on 8/16 colours only in bold.
 */
function colourLooks(depth: 256 | 16 | 8): Record<Style, Look> {
  const grey = depth === 256 ? 245 : depth === 16 ? 8 : undefined;
  const ansi = (c: Colour | undefined): number | undefined => (c === undefined ? undefined : c === 'grey' ? grey : ANSI_INDEX[c]);
  const looks = {} as Record<Style, Look>;
  for (const style of Object.keys(COLOUR_ROLES) as Style[]) {
    const role = COLOUR_ROLES[style];
    const bold = role.bold === true || (role.fg === 'blue' && depth !== 256);
    looks[style] = { fg: ansi(role.fg), bg: ansi(role.bg), ...(bold && { bold }), ...(role.underline && { underline: true }) };
  }
  return looks;
}

/** Without colour only emphasis is left: the cursor is reverse video, placeholders are underlined. */
const MONO: Partial<Record<Style, Look>> = {
  title: { bold: true },
  header: { inverse: true, bold: true },
  selected: { bold: true },
  cursor: { inverse: true },
  match: { underline: true },
  sipMethod: { bold: true },
  sipStatus: { bold: true },
  diffAdded: { bold: true },
  diffRemoved: { underline: true },
  placeholder: { underline: true },
  findingError: { bold: true },
  findingWarning: { bold: true },
  response4xx: { bold: true },
  response5xx: { bold: true },
  response6xx: { bold: true },
};

export function makeTheme(depth: ColorDepth): Theme {
  const looks = colourLooks(depth === 0 ? 16 : depth);
  const theme = {} as Record<Style, number>;
  for (const style of Object.keys(looks) as Style[]) {
    theme[style] = attr(depth === 0 ? MONO[style] ?? {} : looks[style]);
  }
  return theme;
}

/**
 * Colour depth for `--colors auto`: NO_COLOR (any value, https://no-color.org) wins, then what
 * terminfo reports for TERM.
 */
export function resolveDepth(requested: 'auto' | ColorDepth, env: NodeJS.ProcessEnv, terminfoColors: number): ColorDepth {
  if (requested !== 'auto') return requested;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (terminfoColors >= 256) return 256;
  if (terminfoColors >= 16) return 16;
  return terminfoColors >= 8 ? 8 : 0;
}

/**
 * Colours the terminal can show. blessed cannot read some terminfo entries (tmux-256color,
 * screen-256color) and falls back to 8 colours, so a TERM or COLORTERM that names 256 or
 * true colour is believed over it.
 */
export function terminalColors(env: NodeJS.ProcessEnv, terminfoColors: number): number {
  const named = /256col/.test(env.TERM ?? '') || /truecolor|24bit/.test(env.COLORTERM ?? '');
  return named ? Math.max(256, terminfoColors) : terminfoColors;
}
