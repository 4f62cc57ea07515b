/** A failure the bench explains in one message: printed without a stack, exit code 1. */
export class BenchFailure extends Error {}
