import { ApolloClient, ApolloLink, InMemoryCache } from '@apollo/client';
import { Observable } from 'rxjs';

/**
 * The client a page renders with before its session exists: on the server, and in the browser
 * until the session (with its socket) is opened in an effect. It answers only from the cache,
 * which holds what the server rendered; anything else waits, unanswered, for the session's
 * client, which shares the cache and asks the server.
 */
export function createRenderClient(cache: InMemoryCache): ApolloClient {
  return new ApolloClient({ cache, link: new ApolloLink(() => new Observable(() => undefined)), ssrMode: typeof window === 'undefined' });
}

export function createCache(): InMemoryCache {
  return new InMemoryCache();
}
