-- DropIndex
DROP INDEX "StatusBucket_hour_idx";

-- DropIndex
DROP INDEX "StatusBucket_projectId_hour_idx";

-- DropIndex
DROP INDEX "StatusDayBucket_day_idx";

-- DropIndex
DROP INDEX "StatusDayBucket_projectId_day_idx";

-- CreateIndex
CREATE INDEX "StatusBucket_projectId_hour_status_trigger_count_idx" ON "StatusBucket"("projectId", "hour", "status", "trigger", "count");

-- CreateIndex
CREATE INDEX "StatusBucket_hour_status_trigger_count_idx" ON "StatusBucket"("hour", "status", "trigger", "count");

-- CreateIndex
CREATE INDEX "StatusDayBucket_projectId_day_status_trigger_count_idx" ON "StatusDayBucket"("projectId", "day", "status", "trigger", "count");

-- CreateIndex
CREATE INDEX "StatusDayBucket_day_status_trigger_count_idx" ON "StatusDayBucket"("day", "status", "trigger", "count");

