-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "parentRunId" TEXT,
ADD COLUMN     "parentStepName" TEXT;

-- CreateIndex
CREATE INDEX "Run_parentRunId_createdAt_idx" ON "Run"("parentRunId", "createdAt");

