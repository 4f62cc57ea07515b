-- CreateTable
CREATE TABLE "RunSlot" (
    "scope" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "runId" TEXT NOT NULL,

    PRIMARY KEY ("scope", "slot")
);

-- CreateTable
CREATE TABLE "Executor" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "labels" JSONB NOT NULL,
    "concurrency" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ProcessLease" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "fence" INTEGER NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Run" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "params" JSONB,
    "createdAt" DATETIME NOT NULL,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "durationMs" INTEGER,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "retryOfId" TEXT,
    "versionId" TEXT,
    "error" TEXT,
    "lastSeq" BIGINT NOT NULL,
    "leaseOwner" TEXT,
    "leaseExpiresAt" DATETIME,
    "fence" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Run_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Run_workflowId_fkey" FOREIGN KEY ("workflowId") REFERENCES "Workflow" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Run_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "WorkflowVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Run_retryOfId_fkey" FOREIGN KEY ("retryOfId") REFERENCES "Run" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Run" ("attempt", "createdAt", "durationMs", "error", "finishedAt", "id", "lastSeq", "params", "projectId", "retryOfId", "startedAt", "status", "trigger", "versionId", "workflowId") SELECT "attempt", "createdAt", "durationMs", "error", "finishedAt", "id", "lastSeq", "params", "projectId", "retryOfId", "startedAt", "status", "trigger", "versionId", "workflowId" FROM "Run";
DROP TABLE "Run";
ALTER TABLE "new_Run" RENAME TO "Run";
CREATE INDEX "Run_createdAt_id_idx" ON "Run"("createdAt", "id");
CREATE INDEX "Run_status_createdAt_id_idx" ON "Run"("status", "createdAt", "id");
CREATE INDEX "Run_projectId_createdAt_id_idx" ON "Run"("projectId", "createdAt", "id");
CREATE INDEX "Run_projectId_status_createdAt_id_idx" ON "Run"("projectId", "status", "createdAt", "id");
CREATE INDEX "Run_workflowId_createdAt_id_idx" ON "Run"("workflowId", "createdAt", "id");
CREATE INDEX "Run_workflowId_status_createdAt_id_idx" ON "Run"("workflowId", "status", "createdAt", "id");
CREATE INDEX "Run_retryOfId_idx" ON "Run"("retryOfId");
CREATE INDEX "Run_leaseExpiresAt_idx" ON "Run"("leaseExpiresAt");
CREATE INDEX "Run_versionId_idx" ON "Run"("versionId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "RunSlot_runId_idx" ON "RunSlot"("runId");

