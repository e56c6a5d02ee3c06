/** Registers every job this build has. */
import type { AppContext } from '../context';

export function registerJobs(_ctx: AppContext): void {
  // Jobs are added here as their issues land.
}
