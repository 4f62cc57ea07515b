import type { ApolloServerPlugin } from '@apollo/server';
import type { FragmentDefinitionNode, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import type { GraphQLContext } from './context.ts';

/** The root fields a caller without credentials may ask for. */
const PUBLIC_ROOT_FIELDS = new Set(['login', '__typename']);

/**
 * Callers without credentials reach the schema only to sign in: any other root field is
 * refused before execution, with `unauthenticated()`, once per request rather than per field.
 */
export function anonymousGuardPlugin(unauthenticated: () => Error): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart({ contextValue }) {
      if (contextValue.authenticated) return;
      return {
        async didResolveOperation({ operation, document }) {
          const fragments = new Map(
            document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === 'FragmentDefinition').map((fragment) => [fragment.name.value, fragment]),
          );
          if (!operation || [...rootFieldNames(operation, fragments)].some((name) => !PUBLIC_ROOT_FIELDS.has(name))) throw unauthenticated();
        },
      };
    },
  };
}

function rootFieldNames(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): Set<string> {
  const names = new Set<string>();
  const visited = new Set<string>();
  const walk = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === 'Field') names.add(selection.name.value);
      else if (selection.kind === 'InlineFragment') walk(selection.selectionSet);
      else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return names;
}
