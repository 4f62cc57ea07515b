-- CreateTable
CREATE TABLE "ArchivePeriod" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "periodStart" DATETIME NOT NULL,
    "periodEnd" DATETIME NOT NULL,
    "state" TEXT NOT NULL,
    "location" TEXT NOT NULL,
    "committedBatch" INTEGER NOT NULL DEFAULT 0,
    "runs" INTEGER NOT NULL DEFAULT 0,
    "steps" INTEGER NOT NULL DEFAULT 0,
    "events" INTEGER NOT NULL DEFAULT 0,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "maxSeq" BIGINT NOT NULL DEFAULT 0,
    "changes" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ArchivePeriodProject" (
    "archiveId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "runs" INTEGER NOT NULL,
    "events" INTEGER NOT NULL,

    PRIMARY KEY ("archiveId", "projectId"),
    CONSTRAINT "ArchivePeriodProject_archiveId_fkey" FOREIGN KEY ("archiveId") REFERENCES "ArchivePeriod" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ArchivedStatusBucket" (
    "workflowId" TEXT NOT NULL,
    "hour" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("workflowId", "hour", "status", "trigger")
);

-- CreateTable
CREATE TABLE "ArchivedStatusDayBucket" (
    "workflowId" TEXT NOT NULL,
    "day" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("workflowId", "day", "status", "trigger")
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
    CONSTRAINT "Run_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "WorkflowVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Run" ("attempt", "createdAt", "durationMs", "error", "fence", "finishedAt", "id", "lastSeq", "leaseExpiresAt", "leaseOwner", "params", "projectId", "retryOfId", "startedAt", "status", "trigger", "versionId", "workflowId") SELECT "attempt", "createdAt", "durationMs", "error", "fence", "finishedAt", "id", "lastSeq", "leaseExpiresAt", "leaseOwner", "params", "projectId", "retryOfId", "startedAt", "status", "trigger", "versionId", "workflowId" FROM "Run";
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
CREATE UNIQUE INDEX "ArchivePeriod_periodStart_key" ON "ArchivePeriod"("periodStart");

-- CreateIndex
CREATE INDEX "ArchivePeriodProject_projectId_idx" ON "ArchivePeriodProject"("projectId");

-- CreateIndex
CREATE INDEX "ArchivedStatusBucket_projectId_hour_status_trigger_count_idx" ON "ArchivedStatusBucket"("projectId", "hour", "status", "trigger", "count");

-- CreateIndex
CREATE INDEX "ArchivedStatusBucket_hour_status_trigger_count_idx" ON "ArchivedStatusBucket"("hour", "status", "trigger", "count");

-- CreateIndex
CREATE INDEX "ArchivedStatusDayBucket_projectId_day_status_trigger_count_idx" ON "ArchivedStatusDayBucket"("projectId", "day", "status", "trigger", "count");

-- CreateIndex
CREATE INDEX "ArchivedStatusDayBucket_day_status_trigger_count_idx" ON "ArchivedStatusDayBucket"("day", "status", "trigger", "count");

