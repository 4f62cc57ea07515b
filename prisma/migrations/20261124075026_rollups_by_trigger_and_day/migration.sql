-- CreateTable
CREATE TABLE "StatusDayBucket" (
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
CREATE TABLE "new_StatusBucket" (
    "workflowId" TEXT NOT NULL,
    "hour" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("workflowId", "hour", "status", "trigger")
);
-- Rebuilt from the runs: the old rows have no trigger to carry over (timestamps are unix ms).
INSERT INTO "new_StatusBucket" ("workflowId", "hour", "status", "trigger", "projectId", "count")
SELECT "workflowId", "createdAt" - "createdAt" % 3600000, "status", "trigger", "projectId", COUNT(*) FROM "Run" GROUP BY 1, 2, 3, 4, 5;
DROP TABLE "StatusBucket";
ALTER TABLE "new_StatusBucket" RENAME TO "StatusBucket";
CREATE INDEX "StatusBucket_projectId_hour_idx" ON "StatusBucket"("projectId", "hour");
CREATE INDEX "StatusBucket_hour_idx" ON "StatusBucket"("hour");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "StatusDayBucket_projectId_day_idx" ON "StatusDayBucket"("projectId", "day");

-- CreateIndex
CREATE INDEX "StatusDayBucket_day_idx" ON "StatusDayBucket"("day");


-- Backfill the day rollup from the runs.
INSERT INTO "StatusDayBucket" ("workflowId", "day", "status", "trigger", "projectId", "count")
SELECT "workflowId", "createdAt" - "createdAt" % 86400000, "status", "trigger", "projectId", COUNT(*) FROM "Run" GROUP BY 1, 2, 3, 4, 5;
