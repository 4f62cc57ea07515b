/** One page of a keyset-paginated list, and how to name the position after each row. */
export interface Page<T> {
  nodes: T[];
  hasNextPage: boolean;
  cursorOf(row: T): string;
}
