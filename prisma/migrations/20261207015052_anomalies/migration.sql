-- CreateTable
CREATE TABLE "Anomaly" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "seq" BIGINT NOT NULL,
    "projectId" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "step" TEXT,
    "kind" TEXT NOT NULL,
    "openKey" TEXT,
    "start" DATETIME NOT NULL,
    "raisedAt" DATETIME NOT NULL,
    "end" DATETIME,
    "score" REAL NOT NULL,
    "expected" REAL NOT NULL,
    "observed" REAL NOT NULL,
    "lower" REAL NOT NULL,
    "upper" REAL NOT NULL,
    "dismissedAt" DATETIME,
    "dismissedBy" TEXT,
    "dismissReason" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "Anomaly_seq_key" ON "Anomaly"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "Anomaly_openKey_key" ON "Anomaly"("openKey");

-- CreateIndex
CREATE INDEX "Anomaly_projectId_raisedAt_idx" ON "Anomaly"("projectId", "raisedAt");

-- CreateIndex
CREATE INDEX "Anomaly_workflowId_raisedAt_idx" ON "Anomaly"("workflowId", "raisedAt");

