import type { AlertEventRecord } from '../../repositories/alert-state.repository.ts';
import type { FeedItem } from '../polled-seq-feed.ts';

/** What an alertEvents subscriber gets: a transition, or (last) why it was cut off. */
export type AlertEventFeedItem = FeedItem<AlertEventRecord>;
