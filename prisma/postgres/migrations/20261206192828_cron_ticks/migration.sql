-- CreateTable
CREATE TABLE "CronTick" (
    "workflowId" TEXT NOT NULL,
    "fireAt" TIMESTAMP(3) NOT NULL,
    "runId" TEXT NOT NULL,

    CONSTRAINT "CronTick_pkey" PRIMARY KEY ("workflowId","fireAt")
);

-- CreateIndex
CREATE UNIQUE INDEX "CronTick_runId_key" ON "CronTick"("runId");

-- AddForeignKey
ALTER TABLE "CronTick" ADD CONSTRAINT "CronTick_workflowId_fkey" FOREIGN KEY ("workflowId") REFERENCES "Workflow"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CronTick" ADD CONSTRAINT "CronTick_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

