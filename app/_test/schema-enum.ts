import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, isEnumType } from 'graphql';

export const ROOT = path.resolve(__dirname, '..', '..');

/** The values of an enum as the server declares them, so a value added there must show in the UI's tables. */
export function schemaEnum(name: string): string[] {
  const schema = buildSchema(readFileSync(path.join(ROOT, 'schema.graphql'), 'utf8'));
  const type = schema.getType(name);
  if (!isEnumType(type)) throw new Error(`schema.graphql has no enum ${name}`);
  return type.getValues().map((value) => value.name);
}
