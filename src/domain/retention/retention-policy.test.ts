import { definitionRetention } from './definition-retention.ts';
import { DEFAULT_RETENTION_POLICY, resolveRetention, retentionValueProblem, type RetentionField } from './retention-policy.ts';

describe('resolveRetention', () => {
  const settings = DEFAULT_RETENTION_POLICY;

  it('gives the settings, each from SETTING, when no level sets anything', () => {
    expect(resolveRetention(settings, [])).toEqual({
      policy: settings,
      sources: { hotDays: 'SETTING', archiveDays: 'SETTING', keepLastRuns: 'SETTING', keepFailedForDays: 'SETTING' },
    });
  });

  it('takes each field from the highest level that sets it: workflow over project over instance over settings', () => {
    const effective = resolveRetention(settings, [
      { source: 'INSTANCE', override: { hotDays: 60, archiveDays: 365 } },
      { source: 'PROJECT', override: { hotDays: 14, keepFailedForDays: 30 } },
      { source: 'WORKFLOW', override: { keepLastRuns: 5 } },
      { source: 'WORKFLOW_DEFINITION', override: { hotDays: 7 } },
    ]);

    expect(effective).toEqual({
      policy: { hotDays: 7, archiveDays: 365, keepLastRuns: 5, keepFailedForDays: 30 },
      sources: { hotDays: 'WORKFLOW_DEFINITION', archiveDays: 'INSTANCE', keepLastRuns: 'WORKFLOW', keepFailedForDays: 'PROJECT' },
    });
  });

  it('treats archiveDays null as set (kept forever), not as inherited', () => {
    const effective = resolveRetention({ ...settings, archiveDays: 400 }, [{ source: 'PROJECT', override: { archiveDays: null } }]);

    expect(effective.policy.archiveDays).toBeNull();
    expect(effective.sources.archiveDays).toBe('PROJECT');
  });
});

describe('retentionValueProblem', () => {
  it.each<[RetentionField, number, string | null]>([
    ['hotDays', 0, null],
    ['hotDays', 36_500, null],
    ['hotDays', -1, 'is -1; it must be a whole number of days from 0 to 36500 (0: runs may leave the live store as soon as they end)'],
    ['hotDays', 2.5, 'is 2.5; it must be a whole number of days from 0 to 36500 (0: runs may leave the live store as soon as they end)'],
    ['archiveDays', 0, 'is 0; it must be a whole number of days from 1 to 36500 (to keep archived periods forever, set archiveForever instead)'],
    ['keepLastRuns', 100_001, 'is 100001; it must be a whole number of runs from 0 to 100000 (0: no run is kept for being among the latest)'],
    ['keepFailedForDays', 36_501, 'is 36501; it must be a whole number of days from 0 to 36500 (0: FAILED runs follow hotDays like the others)'],
  ])('%s = %d: %s', (field, value, problem) => {
    expect(retentionValueProblem(field, value)).toBe(problem);
  });
});

describe("definitionRetention: Dagu's history keys", () => {
  it.each<[string, number | null, number | null, object]>([
    ['neither key sets nothing', null, null, {}],
    ['histRetentionDays is the days runs stay hot', 7, null, { hotDays: 7 }],
    ['histRetentionRuns alone keeps that many latest runs and nothing by age, as Dagu counts then', null, 10, { hotDays: 0, keepLastRuns: 10 }],
    ['both keep the days and at least the latest runs', 30, 10, { hotDays: 30, keepLastRuns: 10 }],
  ])('%s', (_sentence, days, runs, expected) => {
    expect(definitionRetention(days, runs)).toEqual(expected);
  });
});
