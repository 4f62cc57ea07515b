-- CreateIndex
CREATE INDEX "StepRun_runId_attempt_status_idx" ON "StepRun"("runId", "attempt", "status");

