import type { Logger } from 'pino';
import type { Principal } from '../auth/principal.ts';
import type { Services } from '../composition.ts';
import { createLoaders, type Loaders } from './loaders.ts';

export interface GraphQLContext {
  principal: Principal;
  services: Services;
  loaders: Loaders;
  logger: Logger;
}

/** A fresh context per HTTP request or per subscription operation: loaders never outlive it. */
export function createContext(principal: Principal, services: Services, logger: Logger): GraphQLContext {
  return { principal, services, loaders: createLoaders(services.repositories), logger };
}

/** The same caller with empty loaders, for one event of a subscription: what an earlier event loaded (a run's status) has moved on since. */
export function withFreshLoaders(context: GraphQLContext): GraphQLContext {
  return { ...context, loaders: createLoaders(context.services.repositories) };
}

export function isGraphQLContext(value: unknown): value is GraphQLContext {
  return typeof value === 'object' && value !== null && 'principal' in value && 'services' in value && 'loaders' in value;
}
