import { Kind, OperationTypeNode, print, visit, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type VariableDefinitionNode } from 'graphql';

/**
 * Several queries of one page render as one GraphQL operation, so the server answers them in one
 * HTTP request (one session check, one pass through the limits) instead of one each. Each query's
 * root fields are aliased and its variables renamed with a prefix of its own, so queries that use
 * the same names do not meet; the answer is split back into each query's own shape.
 */

export interface QueryPart {
  document: DocumentNode;
  variables: Record<string, unknown>;
}

export interface GraphQLErrorEntry {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: unknown };
}

/** One query's share of the combined answer: its data (null when the answer had none) and the errors that concern it. */
export interface PartAnswer {
  data: Record<string, unknown> | null;
  errors: GraphQLErrorEntry[];
}

export interface CombinedOperation {
  query: string;
  variables: Record<string, unknown>;
  /** Per part, in the parts' order: what of the answer is its own. */
  split(data: Record<string, unknown> | null | undefined, errors: readonly GraphQLErrorEntry[] | undefined): PartAnswer[];
}

const prefixOf = (index: number) => `q${index}_`;

/** The one query of a document, or null when it holds anything else (a mutation, a subscription, several operations). */
function onlyQuery(document: DocumentNode): OperationDefinitionNode | null {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const [operation] = operations;
  if (operations.length !== 1 || !operation || operation.operation !== OperationTypeNode.QUERY) return null;
  return operation;
}

function usesVariables(fragment: FragmentDefinitionNode): boolean {
  let found = false;
  visit(fragment, {
    Variable() {
      found = true;
    },
  });
  return found;
}

interface Prepared {
  fields: FieldNode[];
  /** Answer key in the combined answer → the part's own key. */
  keys: Map<string, string>;
}

/**
 * The operation of these parts together, or null when they cannot be one: not all plain queries,
 * root fields other than fields (fragments at the root), operation directives, or fragments that
 * read variables or share a name with a different fragment.
 */
export function combineQueries(parts: readonly QueryPart[]): CombinedOperation | null {
  const fragments = new Map<string, { node: FragmentDefinitionNode; printed: string }>();
  const prepared: Prepared[] = [];
  const variableDefinitions: VariableDefinitionNode[] = [];
  const variables: Record<string, unknown> = {};
  for (const [index, part] of parts.entries()) {
    const operation = onlyQuery(part.document);
    if (!operation || (operation.directives?.length ?? 0) > 0) return null;
    for (const definition of part.document.definitions) {
      if (definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
      if (usesVariables(definition)) return null;
      const printed = print(definition);
      const known = fragments.get(definition.name.value);
      if (known && known.printed !== printed) return null;
      fragments.set(definition.name.value, { node: definition, printed });
    }
    const prefix = prefixOf(index);
    const renamed = visit(operation, {
      Variable: (node) => ({ ...node, name: { ...node.name, value: `${prefix}${node.name.value}` } }),
    });
    const keys = new Map<string, string>();
    const fields: FieldNode[] = [];
    for (const selection of renamed.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) return null;
      const key = selection.alias?.value ?? selection.name.value;
      keys.set(`${prefix}${key}`, key);
      fields.push({ ...selection, alias: { kind: Kind.NAME, value: `${prefix}${key}` } });
    }
    prepared.push({ fields, keys });
    variableDefinitions.push(...(renamed.variableDefinitions ?? []));
    for (const [name, value] of Object.entries(part.variables)) variables[`${prefix}${name}`] = value;
  }
  const operation: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: OperationTypeNode.QUERY,
    name: { kind: Kind.NAME, value: 'ServerRender' },
    variableDefinitions,
    selectionSet: { kind: Kind.SELECTION_SET, selections: prepared.flatMap((part) => part.fields) },
  };
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...[...fragments.values()].map((fragment) => fragment.node)] };
  return {
    query: print(document),
    variables,
    split: (data, errors = []) =>
      prepared.map((part) => {
        // An error without a path (or outside every part) concerns the whole request, so each part.
        const own = errors.flatMap((error) => {
          const [head, ...rest] = error.path ?? [];
          if (typeof head !== 'string' || !prepared.some((other) => other.keys.has(head))) return [error];
          const key = part.keys.get(head);
          return key === undefined ? [] : [{ ...error, path: [key, ...rest] }];
        });
        if (!data) return { data: null, errors: own };
        const partData: Record<string, unknown> = {};
        for (const [combinedKey, key] of part.keys) if (combinedKey in data) partData[key] = data[combinedKey];
        return { data: partData, errors: own };
      }),
  };
}
