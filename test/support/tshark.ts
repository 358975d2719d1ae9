import { execFileSync } from 'node:child_process';

/**
 * Whether tests can ask tshark (the reference decoder) or must use the figures recorded beside
 * them. In CI (CI=true) tshark missing is an error: .ci/run installs it.
 */
export function tsharkLive(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI === 'true') throw new Error('tshark is required in CI (install the tshark package; .ci/run does)');
    return false;
  }
}
