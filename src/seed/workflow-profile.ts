import type { FailureProfile } from './failure-streaks.ts';
import type { Rhythm } from './rhythm.ts';
import { createSeededRandom } from '../domain/seeded-random.ts';

export interface SeedStepShape {
  name: string;
  /** An approval step waits for a person: the only way a run becomes WAITING or REJECTED. */
  approval: boolean;
  /** `continueOn: failure`: its failure lets the run go on and end PARTIALLY_SUCCEEDED. */
  continueOnFailure: boolean;
  /** `retryPolicy.limit`: a failed attempt is repeated up to this many times. */
  retryLimit: number;
  /** The typical duration of one attempt. */
  medianMs: number;
}

/** One seeded workflow: its definition, and how often, when and how badly it runs. */
export interface WorkflowProfile {
  name: string;
  description: string;
  tags: string[];
  schedule: string;
  params: Readonly<Record<string, string>>;
  /** Values a person or an API client passes instead of the defaults. */
  paramOverrides: readonly Readonly<Record<string, string>>[];
  /** Chained in this order, as Dagu chains steps without `depends`. */
  steps: SeedStepShape[];
  /** Runs a day its schedule asks for: its share of the volume against the other workflows. */
  firesPerDay: number;
  /** When in the day and week its runs come. */
  rhythm: Rhythm;
  failure: FailureProfile;
  /** Fails often even when nothing is wrong (a flaky test suite, a flaky network). */
  flaky: boolean;
  hasApproval: boolean;
}

interface Template {
  kind: string;
  description: string;
  schedule: string;
  firesPerDay: number;
  rhythm: Rhythm;
  steps: readonly string[];
  approvalStep: string | null;
  params: Readonly<Record<string, string>>;
  paramOverrides: readonly Readonly<Record<string, string>>[];
}

/** Steps that talk to the network get a retry policy, as people write them. */
const FLAKY_STEPS: ReadonlySet<string> = new Set(['test', 'publish', 'extract', 'deploy', 'upload']);
export const SEED_RETRY_INTERVAL_SEC = 10;
/** Mostly fine, with an incident now and then that fails most runs until someone fixes it. */
const STEADY: FailureProfile = { healthy: 0.04, incident: 0.75, enter: 0.008, leave: 0.12 };
/** Fails a fair share of its runs on a good day, and has incidents too. */
const FLAKY: FailureProfile = { healthy: 0.25, incident: 0.75, enter: 0.008, leave: 0.12 };

const TEMPLATES: readonly Template[] = [
  {
    kind: 'ci',
    description: 'Builds and tests the main branch',
    schedule: '*/30 * * * *',
    firesPerDay: 48,
    rhythm: 'workday',
    steps: ['checkout', 'build', 'test', 'package', 'publish', 'notify'],
    approvalStep: null,
    params: { BRANCH: 'main' },
    paramOverrides: [{ BRANCH: 'release' }, { BRANCH: 'hotfix' }, { BRANCH: 'feature-search' }],
  },
  {
    kind: 'etl',
    description: 'Loads the warehouse from the operational databases',
    schedule: '0 * * * *',
    firesPerDay: 24,
    rhythm: 'nightly-batch',
    steps: ['extract', 'validate', 'transform', 'load', 'index', 'report'],
    approvalStep: null,
    params: { SOURCE: 'orders', LIMIT: '100000' },
    paramOverrides: [{ SOURCE: 'customers' }, { LIMIT: '1000' }, { SOURCE: 'invoices', LIMIT: '500000' }],
  },
  {
    kind: 'deploy',
    description: 'Deploys to production after an approval',
    schedule: '0 */4 * * *',
    firesPerDay: 6,
    rhythm: 'office-hours',
    steps: ['build', 'test', 'approve', 'deploy', 'verify', 'notify'],
    approvalStep: 'approve',
    params: { ENV: 'production' },
    paramOverrides: [{ ENV: 'staging' }, { ENV: 'canary' }],
  },
  {
    kind: 'backup',
    description: 'Snapshots the databases and ships them off-site',
    schedule: '15 2 * * *',
    firesPerDay: 1,
    rhythm: 'night-window',
    steps: ['snapshot', 'compress', 'upload', 'verify', 'prune', 'report'],
    approvalStep: null,
    params: { TARGET: 's3://backups' },
    paramOverrides: [{ TARGET: 'gs://backups-eu' }],
  },
];

/**
 * The profile of the `workflowIndex`-th seeded workflow of a project. It depends on the indexes
 * only, not on the seed, so seeding twice (with any seed) reuses the same workflows. The second
 * workflow (an ETL) of every other project is flaky: a history of a few projects has one or two.
 */
export function workflowProfile(projectIndex: number, workflowIndex: number): WorkflowProfile {
  const template = TEMPLATES[workflowIndex % TEMPLATES.length] ?? TEMPLATES[0];
  if (!template) throw new Error('No workflow templates');
  const random = createSeededRandom(projectIndex * 1009 + workflowIndex + 1);
  const minimum = template.approvalStep ? template.steps.indexOf(template.approvalStep) + 1 : 2;
  const stepCount = random.int(Math.max(2, minimum), template.steps.length);
  const names = template.steps.slice(0, stepCount);
  const lastCommand = names.filter((name) => name !== template.approvalStep).at(-1);
  const flaky = workflowIndex === 1 && projectIndex % 2 === 0;
  return {
    name: `${template.kind}-${Math.floor(workflowIndex / TEMPLATES.length) + 1}`,
    description: template.description,
    tags: ['seed', template.kind],
    schedule: template.schedule,
    params: template.params,
    paramOverrides: template.paramOverrides,
    steps: names.map((name) => ({
      name,
      approval: name === template.approvalStep,
      continueOnFailure: name === lastCommand,
      retryLimit: FLAKY_STEPS.has(name) ? 2 : 0,
      medianMs: Math.round(random.logNormal(6_000, 1.1)),
    })),
    firesPerDay: template.firesPerDay,
    rhythm: template.rhythm,
    failure: flaky ? FLAKY : STEADY,
    flaky,
    hasApproval: template.approvalStep !== null && names.includes(template.approvalStep),
  };
}

/** The workflow as a user would write it (the Dagu subset of src/domain/workflow). */
export function workflowYaml(shape: WorkflowProfile): string {
  const lines = [
    `name: ${shape.name}`,
    `description: ${shape.description}`,
    `tags: [${shape.tags.join(', ')}]`,
    `schedule: "${shape.schedule}"`,
    'params:',
    ...Object.entries(shape.params).map(([name, value]) => `  ${name}: "${value}"`),
    'steps:',
  ];
  for (const step of shape.steps) {
    lines.push(`  - name: ${step.name}`);
    if (step.approval) {
      lines.push('    type: approval');
      continue;
    }
    lines.push('    command: "true"');
    if (step.continueOnFailure) lines.push('    continueOn:', '      failure: true');
    if (step.retryLimit > 0) lines.push('    retryPolicy:', `      limit: ${step.retryLimit}`, `      intervalSec: ${SEED_RETRY_INTERVAL_SEC}`);
  }
  return `${lines.join('\n')}\n`;
}
