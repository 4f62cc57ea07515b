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
