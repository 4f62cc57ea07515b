/** The label of an operation that names none. */
export const ANONYMOUS_OPERATION = '(anonymous)';
/** The label of every name past the first `maxNames`, and of names no GraphQL document could hold. */
export const OTHER_OPERATION = '(other)';

// GraphQL's Name, at most 64 characters: longer ones are no operation name a client would choose.
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

/**
 * Operation names as metric labels, bounded: the first `maxNames` distinct names of operations
 * that succeeded are kept as they come, later ones become "(other)", so a client that sends a
 * new name with each request adds nothing once the names are taken, and one that may not run
 * anything (its operations fail) takes none of them.
 */
export class OperationLabels {
  private readonly known = new Set<string>();

  constructor(private readonly maxNames: number) {}

  /** `admit`: the name may take a free place (the operation succeeded); otherwise only a known name is kept. */
  labelOf(operationName: string | null | undefined, admit: boolean): string {
    if (operationName === null || operationName === undefined || operationName === '') return ANONYMOUS_OPERATION;
    if (!OPERATION_NAME.test(operationName)) return OTHER_OPERATION;
    if (this.known.has(operationName)) return operationName;
    if (!admit || this.known.size >= this.maxNames) return OTHER_OPERATION;
    this.known.add(operationName);
    return operationName;
  }
}
