/**
 * Group commit: requests that arrive while a batch is being written wait, and go together in
 * the next one, so a transaction's fixed cost (its commit, its round trips) is paid once per
 * batch instead of once per request. A batch begins at the end of the turn its first request
 * came in, so requests of one turn go together even when nothing was being written (a step's
 * end and the start of the step that waited for it).
 */
export class GroupCommit<C, R extends object> {
  private pending: { command: C; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  private writing = false;

  constructor(
    private readonly writeBatch: (commands: readonly C[]) => Promise<R[]>,
    private readonly maxBatch: number,
  ) {}

  submit(command: C): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ command, resolve, reject });
      if (this.writing) return;
      this.writing = true;
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.maxBatch);
        try {
          const results = await this.writeBatch(batch.map((entry) => entry.command));
          batch.forEach((entry, index) => {
            const result = results[index];
            if (result) entry.resolve(result);
            else entry.reject(new Error(`A batch of ${batch.length} gave ${results.length} results`));
          });
        } catch (error) {
          for (const entry of batch) entry.reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
