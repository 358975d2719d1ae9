/**
 * What presenters hand to widgets: lines of text runs, each with a semantic style name.
 * Presenters are pure (store data in, styled lines out); theme.ts maps style names to colours,
 * so colour depth, NO_COLOR and --ascii are decided in one place.
 */
export type Style =
  | 'default'
  | 'dim'
  | 'title'
  /** Title bars: the column titles of the call list, a screen's name line. */
  | 'header'
  | 'selected'
  | 'cursor'
  | 'match'
  | 'time'
  | 'address'
  | 'arrow'
  | 'retrans'
  | 'request'
  | 'response1xx'
  | 'response2xx'
  | 'response3xx'
  | 'response4xx'
  | 'response5xx'
  | 'response6xx'
  | 'sipMethod'
  | 'sipStatus'
  | 'sipHeaderName'
  | 'sipHeaderValue'
  | 'sipUri'
  | 'sdp'
  /** RTP stream and DTMF rows of the ladder. */
  | 'media'
  | 'body'
  | 'diffAdded'
  | 'diffRemoved'
  | 'placeholder'
  | 'stateSetup'
  | 'stateInCall'
  | 'stateCancelled'
  | 'stateRejected'
  | 'stateBusy'
  | 'stateDiverted'
  | 'stateCompleted'
  | 'findingError'
  | 'findingWarning'
  | 'findingInfo';

export interface Segment {
  text: string;
  style: Style;
}

export type StyledLine = Segment[];
