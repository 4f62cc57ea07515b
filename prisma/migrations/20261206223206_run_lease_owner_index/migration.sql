-- CreateIndex
CREATE INDEX "Run_leaseOwner_status_idx" ON "Run"("leaseOwner", "status");

