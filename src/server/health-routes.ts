import { Router } from 'express';
import type { HealthService } from '../services/health.service.ts';

export function healthRoutes(health: HealthService): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', async (_request, response) => {
    const readiness = await health.readiness();
    response.status(readiness.ready ? 200 : 503).json(readiness.ready ? { status: 'ready' } : { status: 'not ready', reason: readiness.reason });
  });
  return router;
}
