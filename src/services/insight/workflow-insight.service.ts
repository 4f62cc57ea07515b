import type { Clock } from '../../domain/clock.ts';
import { failureProbability, type FailureProbability } from '../../domain/insight/failure-probability.ts';
import { forecastDay, type DayForecast } from '../../domain/insight/volume-forecast.ts';
import type { InsightHistoryRepository } from '../../repositories/insight-history.repository.ts';

// The finished runs the failure model replays.
const OUTCOME_RUNS = 300;
const DAY_MS = 86_400_000;
// Days of the daily rollup a forecast reads: four weeks back from tomorrow.
const FORECAST_DAYS = 29;

/** Predictions about workflows: the next run's chance of failing, and tomorrow's runs. */
export class WorkflowInsightService {
  constructor(private readonly deps: { insightHistory: InsightHistoryRepository; clock: Clock }) {}

  /** Per workflow, in the order given: the model's probability where its replay beats the plain base rate, null elsewhere. */
  async failureProbabilities(workflowIds: readonly string[]): Promise<(FailureProbability | null)[]> {
    const outcomes = await this.deps.insightHistory.latestOutcomes(workflowIds, OUTCOME_RUNS);
    return workflowIds.map((id) => {
      const result = failureProbability(outcomes.get(id) ?? []);
      return result !== null && result.skill > 0 ? result : null;
    });
  }

  /** Per workflow (with when its history begins), in the order given: tomorrow's runs (UTC) per status with bands; null before four weeks of history. */
  async forecasts(workflows: readonly { id: string; createdAt: Date }[]): Promise<(DayForecast | null)[]> {
    const tomorrow = (Math.floor(this.deps.clock.now().getTime() / DAY_MS) + 1) * DAY_MS;
    const counts = await this.deps.insightHistory.dailyCounts(
      workflows.map(({ id }) => id),
      new Date(tomorrow - FORECAST_DAYS * DAY_MS),
    );
    return workflows.map(({ id, createdAt }) => forecastDay(counts.get(id) ?? new Map(), tomorrow, createdAt.getTime()));
  }
}
