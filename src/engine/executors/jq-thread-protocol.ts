/** What a jq thread is started with. */
export interface JqThreadData {
  filter: string;
  input: string;
  flags: string[];
}

/** Its one answer: jq's output, or jq's error message. */
export type JqThreadReply = { output: string } | { error: string };
