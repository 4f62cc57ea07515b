-- AlterTable
ALTER TABLE "Workflow" ADD COLUMN "retentionHotDays" INTEGER;
ALTER TABLE "Workflow" ADD COLUMN "retentionKeepLastRuns" INTEGER;

-- CreateTable
CREATE TABLE "RetentionPolicy" (
    "scope" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "hotDays" INTEGER,
    "archiveDays" INTEGER,
    "archiveForever" BOOLEAN NOT NULL DEFAULT false,
    "keepLastRuns" INTEGER,
    "keepFailedForDays" INTEGER,

    PRIMARY KEY ("scope", "targetId")
);

