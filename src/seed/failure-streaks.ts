import type { SeededRandom } from '../domain/seeded-random.ts';

/**
 * A workflow's failures as a two-state chain, so they come in streaks as real ones do: while
 * healthy a run fails with `healthy` odds; an incident (a broken dependency, a bad deploy)
 * starts with `enter` odds per run and fails runs with `incident` odds until it ends, with
 * `leave` odds per run (on average after 1 / leave runs).
 */
export interface FailureProfile {
  healthy: number;
  incident: number;
  enter: number;
  leave: number;
}

/** The state of every workflow's chain, stepped once per run in creation order. */
export class FailureStreaks {
  private readonly inIncident = new Set<string>();

  /** The odds that this run of the workflow fails; moves the workflow's chain one run on. */
  nextFailureOdds(workflowId: string, profile: FailureProfile, random: SeededRandom): number {
    const wasInIncident = this.inIncident.has(workflowId);
    if (wasInIncident && random.chance(profile.leave)) this.inIncident.delete(workflowId);
    else if (!wasInIncident && random.chance(profile.enter)) this.inIncident.add(workflowId);
    return this.inIncident.has(workflowId) ? profile.incident : profile.healthy;
  }
}
