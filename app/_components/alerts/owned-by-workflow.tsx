import Link from 'next/link';

/** In place of Edit and Delete: a rule or contact point made by a workflow file's mailOn changes in that file. */
export function OwnedByWorkflow({ workflowId, workflowName }: { workflowId: string; workflowName: string | null }) {
  return (
    <span className="muted">
      Set by the mailOn of <Link href={`/workflows/${workflowId}`}>{workflowName ?? 'its workflow'}</Link>’s file: edit it there
    </span>
  );
}
