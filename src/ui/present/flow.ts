/**
 * The call-flow ladder, as sngrep draws it: a column per address with a lifeline, one arrow per
 * message labelled with its method or status, time and delta at the left. Pure: messages in,
 * styled lines out. Typical use: `layoutFlow` when the messages or the width change, `flowHeader`
 * once, `flowRows` for the visible window only.
 */
export { addressText, flowMessageFrom, hostOf, mergeFlows, type FlowMessage } from './flow-message.js';
export { layoutFlow, lifelineOf, type FlowColumn, type FlowLayout, type FlowLayoutOptions } from './flow-layout.js';
export { flowHeader } from './flow-header.js';
export { flowRows, type FlowColorBy, type FlowRowsOptions } from './flow-rows.js';
export { formatClock, formatDelta } from './flow-time.js';
