import { CombinedGraphQLErrors, ServerError, ServerParseError } from '@apollo/client';
import type { ErrorLike } from '@apollo/client';

interface QueryErrorNoticeProps {
  /** What failed to load, in a sentence: "your profile", "the project list". */
  subject: string;
  error: ErrorLike;
  onRetry(): void;
}

function adviceFor(error: ErrorLike): string {
  if (CombinedGraphQLErrors.is(error)) {
    const first = error.errors[0];
    switch (first?.extensions?.code) {
      case 'UNAUTHENTICATED':
        return 'Your token was not accepted; taking you to the sign-in page.';
      case 'FORBIDDEN':
        return 'Your account is not allowed to read this. Ask an instance admin for access.';
      default:
        return `The server answered: “${first?.message ?? error.message}”. Try again; if it keeps failing, check the server logs.`;
    }
  }
  if (ServerError.is(error)) {
    return `The server answered with HTTP ${error.statusCode}. Try again; if it keeps failing, check the server logs.`;
  }
  if (ServerParseError.is(error)) {
    return 'The answer from /graphql was not GraphQL. Check that the page is served by the Runtrail server.';
  }
  return 'The Runtrail server could not be reached. Check that it is running, then try again.';
}

export function QueryErrorNotice({ subject, error, onRetry }: QueryErrorNoticeProps) {
  return (
    <div className="notice notice--error" role="alert">
      <p>
        <strong>Could not load {subject}.</strong> {adviceFor(error)}
      </p>
      <button type="button" className="button button--secondary" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
