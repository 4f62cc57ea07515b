-- AlterTable
ALTER TABLE "AlertRule" ADD COLUMN "ownerWorkflowId" TEXT;

-- AlterTable
ALTER TABLE "ContactPoint" ADD COLUMN "ownerWorkflowId" TEXT;

-- CreateIndex
CREATE INDEX "AlertRule_ownerWorkflowId_idx" ON "AlertRule"("ownerWorkflowId");

