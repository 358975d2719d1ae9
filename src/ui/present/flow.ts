/**
 * The call-flow ladder, as sngrep draws it: a column per address with a lifeline, one arrow per
 * message labelled with its method or status, time and delta at the left. Pure: messages in,
 * styled lines out. Typical use: `layoutFlow` when the messages or the width change, `flowHeader`
 * once, `flowRows` for the visible window only.
 */
export { addressText, flowMessageFrom, hostOf, mergeFlows, type FlowMessage } from '../../layout/flow-message.js';
export { layoutFlow, lifelineOf, type FlowColumn, type FlowLayout, type FlowLayoutOptions } from '../../layout/flow-layout.js';
export { flowHeader } from '../../layout/flow-header.js';
export { flowRows, type FlowColorBy, type FlowRowsOptions } from '../../layout/flow-rows.js';
export { formatClock, formatDelta } from '../../layout/flow-time.js';

import type { FlowSources } from '../../sink/flow-synthetic.js';
import type { UiContext } from '../context.js';

/** Where the ladder's fax, RTP, DTMF and HEP log rows come from in the TUI (the store may have no media plane). */
export function flowSources(ctx: UiContext): FlowSources {
  const { store, fax, logs } = ctx;
  return { fax, streams: (id) => store.streams?.(id) ?? [], infoDtmf: (id) => store.infoDtmf?.(id) ?? [], logs: (id) => logs?.(id) ?? [] };
}
