import { Router } from 'express';
import type { HealthService } from '../services/health.service.ts';

export function healthRoutes(health: HealthService): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', async (_request, response) => {
    const readiness = await health.readiness();
    if (readiness.ready) {
      // warnings is left out when undefined.
      response.json({ status: 'ready', warnings: readiness.warnings });
      return;
    }
    // settled and total (recovery's progress) are left out when undefined.
    response.status(503).json({ status: 'not ready', reason: readiness.reason, settled: readiness.settled, total: readiness.total });
  });
  return router;
}
