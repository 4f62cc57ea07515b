-- The old rows have no trigger to carry over: the rollup is rebuilt from the runs below.
DELETE FROM "StatusBucket";

-- AlterTable
ALTER TABLE "StatusBucket" DROP CONSTRAINT "StatusBucket_pkey",
ADD COLUMN     "trigger" TEXT NOT NULL,
ADD CONSTRAINT "StatusBucket_pkey" PRIMARY KEY ("workflowId", "hour", "status", "trigger");

-- CreateTable
CREATE TABLE "StatusDayBucket" (
    "workflowId" TEXT NOT NULL,
    "day" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "StatusDayBucket_pkey" PRIMARY KEY ("workflowId","day","status","trigger")
);

-- CreateIndex
CREATE INDEX "StatusDayBucket_projectId_day_idx" ON "StatusDayBucket"("projectId", "day");

-- CreateIndex
CREATE INDEX "StatusDayBucket_day_idx" ON "StatusDayBucket"("day");


-- Rebuild both rollups from the runs.
INSERT INTO "StatusBucket" ("workflowId", "hour", "status", "trigger", "projectId", "count")
SELECT "workflowId", date_trunc('hour', "createdAt"), "status", "trigger", "projectId", COUNT(*) FROM "Run" GROUP BY 1, 2, 3, 4, 5;
INSERT INTO "StatusDayBucket" ("workflowId", "day", "status", "trigger", "projectId", "count")
SELECT "workflowId", date_trunc('day', "createdAt"), "status", "trigger", "projectId", COUNT(*) FROM "Run" GROUP BY 1, 2, 3, 4, 5;
