-- CreateTable
CREATE TABLE "Anomaly" (
    "id" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "projectId" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "step" TEXT,
    "kind" TEXT NOT NULL,
    "openKey" TEXT,
    "start" TIMESTAMP(3) NOT NULL,
    "raisedAt" TIMESTAMP(3) NOT NULL,
    "end" TIMESTAMP(3),
    "score" DOUBLE PRECISION NOT NULL,
    "expected" DOUBLE PRECISION NOT NULL,
    "observed" DOUBLE PRECISION NOT NULL,
    "lower" DOUBLE PRECISION NOT NULL,
    "upper" DOUBLE PRECISION NOT NULL,
    "dismissedAt" TIMESTAMP(3),
    "dismissedBy" TEXT,
    "dismissReason" TEXT,

    CONSTRAINT "Anomaly_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Anomaly_seq_key" ON "Anomaly"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "Anomaly_openKey_key" ON "Anomaly"("openKey");

-- CreateIndex
CREATE INDEX "Anomaly_projectId_raisedAt_idx" ON "Anomaly"("projectId", "raisedAt");

-- CreateIndex
CREATE INDEX "Anomaly_workflowId_raisedAt_idx" ON "Anomaly"("workflowId", "raisedAt");

