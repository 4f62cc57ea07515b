-- CreateTable
CREATE TABLE "StatusProjectBucket" (
    "projectId" TEXT NOT NULL,
    "hour" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("projectId", "hour", "status")
);

-- CreateIndex
CREATE INDEX "StatusProjectBucket_hour_status_count_idx" ON "StatusProjectBucket"("hour", "status", "count");


-- Backfill from the runs (timestamps are unix ms).
INSERT INTO "StatusProjectBucket" ("projectId", "hour", "status", "count")
SELECT "projectId", "createdAt" - "createdAt" % 3600000, "status", COUNT(*) FROM "Run" GROUP BY 1, 2, 3;
