import { workflowChoices } from './workflow-choices.ts';

describe('workflowChoices', () => {
  it('names each workflow with its project, sorted, when they come from several projects', () => {
    const choices = workflowChoices([
      { id: 'w1', name: 'nightly', project: { name: 'shop' } },
      { id: 'w2', name: 'nightly', project: { name: 'billing' } },
      { id: 'w3', name: 'backup', project: { name: 'shop' } },
    ]);

    expect(choices).toEqual([
      { id: 'w2', name: 'billing / nightly' },
      { id: 'w3', name: 'shop / backup' },
      { id: 'w1', name: 'shop / nightly' },
    ]);
  });

  it('keeps the bare names, in the given order, when every workflow is of one project', () => {
    expect(
      workflowChoices([
        { id: 'w1', name: 'nightly', project: { name: 'shop' } },
        { id: 'w3', name: 'backup', project: { name: 'shop' } },
      ]),
    ).toEqual([
      { id: 'w1', name: 'nightly' },
      { id: 'w3', name: 'backup' },
    ]);
  });
});
