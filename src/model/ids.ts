/**
 * Ids the store hands out. An id names one thing for the life of the process: rotation (-l N -R),
 * F5 and F9 never renumber anything, they only make the store answer "gone" for some ids.
 * Positions (row numbers) exist only inside a query window (store/query.ts).
 */
declare const brand: unique symbol;

/** A dialog: its arrival number among every dialog ever opened (0-based). */
export type DialogId = number & { readonly [brand]: 'DialogId' };
/** A SIP message: its arrival number in the store (0-based). */
export type MessageId = number & { readonly [brand]: 'MessageId' };
/** A media stream (RTP, RTCP, UDPTL) of a dialog. */
export type StreamId = number & { readonly [brand]: 'StreamId' };
