import type { Region } from './canvas.js';
import type { KeyResult, Screen } from './context.js';
import type { Action } from './keymap.js';

/** The open screens, the call list at the bottom; the top one gets the keys. */
export class ScreenStack {
  private readonly screens: Screen[];

  constructor(bottom: Screen) {
    this.screens = [bottom];
  }

  get top(): Screen {
    return this.screens[this.screens.length - 1]!;
  }

  get depth(): number {
    return this.screens.length;
  }

  push(screen: Screen): void {
    this.screens.push(screen);
  }

  /** Closes the top screen; the bottom one stays. */
  pop(): void {
    if (this.screens.length > 1) this.screens.pop();
  }

  /** What is drawn, bottom first: the top screen, and the screens under it while it is an overlay. */
  visible(): readonly Screen[] {
    let base = this.screens.length - 1;
    while (base > 0 && this.screens[base]!.overlay === true) base--;
    return this.screens.slice(base);
  }

  /** The top screen handles the action; 'propagate' closes it and asks the one below. */
  dispatch(action: Action, region: Region): KeyResult {
    let result = this.top.handleAction(action, region);
    while (result === 'propagate' && this.screens.length > 1) {
      this.screens.pop();
      result = this.top.handleAction(action, region);
    }
    return result;
  }
}
