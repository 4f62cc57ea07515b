-- DropForeignKey
ALTER TABLE "Run" DROP CONSTRAINT "Run_retryOfId_fkey";

-- CreateTable
CREATE TABLE "ArchivePeriod" (
    "id" TEXT NOT NULL,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "periodEnd" TIMESTAMP(3) NOT NULL,
    "state" TEXT NOT NULL,
    "location" TEXT NOT NULL,
    "committedBatch" INTEGER NOT NULL DEFAULT 0,
    "runs" INTEGER NOT NULL DEFAULT 0,
    "steps" INTEGER NOT NULL DEFAULT 0,
    "events" INTEGER NOT NULL DEFAULT 0,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "maxSeq" BIGINT NOT NULL DEFAULT 0,
    "changes" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ArchivePeriod_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ArchivePeriodProject" (
    "archiveId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "runs" INTEGER NOT NULL,
    "events" INTEGER NOT NULL,

    CONSTRAINT "ArchivePeriodProject_pkey" PRIMARY KEY ("archiveId","projectId")
);

-- CreateTable
CREATE TABLE "ArchivedStatusBucket" (
    "workflowId" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "ArchivedStatusBucket_pkey" PRIMARY KEY ("workflowId","hour","status","trigger")
);

-- CreateTable
CREATE TABLE "ArchivedStatusDayBucket" (
    "workflowId" TEXT NOT NULL,
    "day" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "ArchivedStatusDayBucket_pkey" PRIMARY KEY ("workflowId","day","status","trigger")
);

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

-- AddForeignKey
ALTER TABLE "ArchivePeriodProject" ADD CONSTRAINT "ArchivePeriodProject_archiveId_fkey" FOREIGN KEY ("archiveId") REFERENCES "ArchivePeriod"("id") ON DELETE CASCADE ON UPDATE CASCADE;

