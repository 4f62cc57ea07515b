import { getOperationAST, Kind, visit, type ExecutionArgs, type VariableNode } from 'graphql';

/**
 * Which subscriptions may share one execution of an event: the same document, and the same
 * values of the variables the execution can see. The root field's arguments (a filter, an
 * afterSeq) choose which events reach a subscription, not what is selected of each, so they
 * are left out: subscribers that resumed from different seqs or filter differently still share.
 */
export function sharedExecutionKey(args: ExecutionArgs): string {
  const body = args.document.loc?.source.body ?? JSON.stringify(args.document);
  const values = args.variableValues ?? {};
  const seen = Object.fromEntries(selectionVariables(args).map((name) => [name, values[name] ?? null]));
  return `${args.operationName ?? ''}\u0000${JSON.stringify(seen)}\u0000${body}`;
}

function selectionVariables(args: ExecutionArgs): string[] {
  const operation = getOperationAST(args.document, args.operationName);
  const rootArguments = new Set<VariableNode>();
  for (const selection of operation?.selectionSet.selections ?? []) {
    if (selection.kind !== Kind.FIELD) continue;
    for (const argument of selection.arguments ?? []) visit(argument, { Variable: (node) => void rootArguments.add(node) });
  }
  const names = new Set<string>();
  visit(args.document, {
    VariableDefinition: () => false,
    Variable: (node) => {
      if (!rootArguments.has(node)) names.add(node.name.value);
    },
  });
  return [...names].sort();
}
