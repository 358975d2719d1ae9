// The implementation lives in source/ because the text-dump reader needs it and layering lets
// source/ import nothing from sink/; sinks (saving dialogs whose frames are gone) use it from here.
export { synthFrame, SYNTH_LINKTYPE, type SynthMessage } from '../source/synth-frame.js';
