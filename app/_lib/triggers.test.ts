import { schemaEnum } from '../_test/schema-enum.ts';
import { isRunTrigger, RUN_TRIGGER_ORDER, RUN_TRIGGERS, triggerLabel } from './triggers.ts';

describe('the trigger table', () => {
  it('has a row for every trigger the server declares, and no other', () => {
    expect(Object.keys(RUN_TRIGGERS).sort()).toEqual(schemaEnum('RunTrigger').sort());
  });

  it('lists every trigger once in its display order', () => {
    expect([...RUN_TRIGGER_ORDER].sort()).toEqual(schemaEnum('RunTrigger').sort());
    expect(new Set(RUN_TRIGGER_ORDER).size).toBe(RUN_TRIGGER_ORDER.length);
  });

  it('gives each trigger a label of its own', () => {
    const labels = RUN_TRIGGER_ORDER.map(triggerLabel);

    expect(labels.every((label) => label.trim() !== '')).toBe(true);
    expect(new Set(labels).size).toBe(labels.length);
    expect(triggerLabel('SCHEDULER')).toBe('Schedule');
  });

  it('knows the triggers by their enum names only', () => {
    expect(isRunTrigger('SCHEDULER')).toBe(true);
    expect(isRunTrigger('scheduler')).toBe(false);
    expect(isRunTrigger('toString')).toBe(false);
  });
});
