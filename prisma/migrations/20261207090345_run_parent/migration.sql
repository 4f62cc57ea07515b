-- AlterTable
ALTER TABLE "Run" ADD COLUMN "parentRunId" TEXT;
ALTER TABLE "Run" ADD COLUMN "parentStepName" TEXT;

-- CreateIndex
CREATE INDEX "Run_parentRunId_createdAt_idx" ON "Run"("parentRunId", "createdAt");

