import type { Logger } from 'pino';
import type { Principal } from '../auth/principal.ts';
import type { Services } from '../composition.ts';
import { ResponseBudget } from '../domain/response-budget.ts';
import { createLoaders, type Loaders } from './loaders.ts';

/** What login and logout need of the transport they came over: the address, and the session cookie. */
export interface SessionTransport {
  /** The caller's network address, the key of login rate limits. */
  address: string;
  startSession(secret: string, expiresAt: Date): void;
  endSession(): void;
}

/** The services resolvers and loaders call: use cases only, never the repositories, the engine or the recorder. */
export type ResolverServices = Pick<
  Services,
  'access' | 'aggregates' | 'alertEvents' | 'alertPreview' | 'alertRules' | 'alerts' | 'anomalies' | 'anomalyEvents' | 'incidents' | 'incidentEvents' | 'archive' | 'archives' | 'auth' | 'contactPoints' | 'control' | 'history' | 'logs' | 'projects' | 'relations' | 'reportDefinitions' | 'reports' | 'retention' | 'runEtas' | 'runEvents' | 'runQueries' | 'runQueue' | 'silences' | 'workflowInsight' | 'workflowShapes' | 'workflows'
>;

export interface GraphQLContext {
  principal: Principal;
  /** False for a caller without valid credentials, who may only sign in (see anonymousGuard). */
  authenticated: boolean;
  session: SessionTransport;
  services: ResolverServices;
  loaders: Loaders;
  logger: Logger;
  /** What this operation may still answer with from large values (RESPONSE_MAX_BYTES). */
  responseBudget: ResponseBudget;
}

/** Whoever has not signed in: member of nothing, admin of nothing. */
export const ANONYMOUS: Principal = { userId: '', username: '', displayName: 'Anonymous', isAdmin: false, roles: new Map(), actor: 'anonymous', credential: null };

/** A fresh context per HTTP request or per subscription operation: loaders never outlive it. */
export function createContext(
  caller: { principal: Principal; authenticated: boolean },
  session: SessionTransport,
  services: ResolverServices,
  logger: Logger,
  responseMaxBytes: number,
): GraphQLContext {
  return { ...caller, session, services, loaders: createLoaders(services), logger, responseBudget: new ResponseBudget(responseMaxBytes) };
}

/** The same caller with empty loaders, for one event of a subscription: what an earlier event loaded (a run's status) has moved on since. */
export function withFreshLoaders(context: GraphQLContext): GraphQLContext {
  return { ...context, loaders: createLoaders(context.services), responseBudget: new ResponseBudget(context.responseBudget.maxBytes) };
}

export function isGraphQLContext(value: unknown): value is GraphQLContext {
  return typeof value === 'object' && value !== null && 'principal' in value && 'services' in value && 'loaders' in value;
}
