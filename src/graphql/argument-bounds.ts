import {
  getArgumentValues,
  GraphQLError,
  isCompositeType,
  typeFromAST,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/**
 * Every argument of every field an operation selects, as the resolvers will receive it, held
 * against the bounds no resolver should have to repeat: no list longer than `maxListItems`
 * (a database binds one variable per item, and SQLite and PostgreSQL both cap those) and no
 * NUL character in a string (PostgreSQL cannot store one in text). Each refusal names the
 * field and the argument's path inside its input objects.
 */
export function argumentBoundErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  maxListItems: number,
): GraphQLError[] {
  const fragments = new Map(
    document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === 'FragmentDefinition').map((fragment) => [fragment.name.value, fragment]),
  );
  const errors: GraphQLError[] = [];
  const visited = new Set<string>();
  const check = (field: FieldNode, argument: string, value: unknown) => {
    const problem = firstProblem(value, argument, maxListItems);
    if (problem) {
      errors.push(new GraphQLError(`${problem.message} (argument ${problem.path} of ${field.name.value}).`, { nodes: [field], extensions: { code: 'BAD_USER_INPUT', field: field.name.value, argument: problem.path, ...problem.details } }));
    }
  };
  const walk = (node: OperationDefinitionNode | FragmentDefinitionNode, typeInfo: TypeInfo) => {
    visit(
      node,
      visitWithTypeInfo(typeInfo, {
        Field(field) {
          const definition = typeInfo.getFieldDef();
          if (!definition || definition.args.length === 0) return;
          const values = getArgumentValues(definition, field, variables);
          for (const [argument, value] of Object.entries(values)) check(field, argument, value);
        },
        FragmentSpread(spread) {
          const fragment = fragments.get(spread.name.value);
          if (!fragment || visited.has(fragment.name.value)) return;
          visited.add(fragment.name.value);
          const type = typeFromAST(schema, fragment.typeCondition);
          if (type && isCompositeType(type)) walk(fragment, new TypeInfo(schema, type));
        },
      }),
    );
  };
  walk(operation, new TypeInfo(schema));
  return errors;
}

interface Problem {
  path: string;
  message: string;
  details: Record<string, unknown>;
}

// Iterative, so that a deeply nested input cannot overflow the stack.
function firstProblem(root: unknown, rootPath: string, maxListItems: number): Problem | null {
  const pending: { value: unknown; path: string }[] = [{ value: root, path: rootPath }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { path, message: 'A string may not contain the NUL character (\\u0000): remove it', details: {} };
    } else if (Array.isArray(value)) {
      if (value.length > maxListItems) {
        return { path, message: `A list may hold at most ${maxListItems} items (LIST_ARGUMENT_MAX_ITEMS), this one holds ${value.length}: ask in smaller batches`, details: { limit: maxListItems, items: value.length } };
      }
      value.forEach((item, index) => pending.push({ value: item, path: `${path}[${index}]` }));
    } else if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes('\u0000')) return { path, message: 'A key may not contain the NUL character (\\u0000): remove it', details: {} };
        pending.push({ value: item, path: `${path}.${key}` });
      }
    }
  }
  return null;
}

/** An input object or a JSON object; not a Date or another scalar's value. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || prototype === Object.prototype;
}
