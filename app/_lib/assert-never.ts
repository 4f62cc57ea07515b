/** Ends an exhaustive switch: adding a member to the union becomes a type error here. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}
