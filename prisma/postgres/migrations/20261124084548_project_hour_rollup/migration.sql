-- CreateTable
CREATE TABLE "StatusProjectBucket" (
    "projectId" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "StatusProjectBucket_pkey" PRIMARY KEY ("projectId","hour","status")
);

-- CreateIndex
CREATE INDEX "StatusProjectBucket_hour_status_count_idx" ON "StatusProjectBucket"("hour", "status", "count");


-- Backfill from the runs.
INSERT INTO "StatusProjectBucket" ("projectId", "hour", "status", "count")
SELECT "projectId", date_trunc('hour', "createdAt"), "status", COUNT(*) FROM "Run" GROUP BY 1, 2, 3;
