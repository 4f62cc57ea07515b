-- CreateTable
CREATE TABLE "CronTick" (
    "workflowId" TEXT NOT NULL,
    "fireAt" DATETIME NOT NULL,
    "runId" TEXT NOT NULL,

    PRIMARY KEY ("workflowId", "fireAt"),
    CONSTRAINT "CronTick_workflowId_fkey" FOREIGN KEY ("workflowId") REFERENCES "Workflow" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CronTick_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "CronTick_runId_key" ON "CronTick"("runId");

