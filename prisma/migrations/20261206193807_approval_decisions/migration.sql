-- CreateTable
CREATE TABLE "ApprovalDecision" (
    "stepRunId" TEXT NOT NULL PRIMARY KEY,
    "decision" TEXT NOT NULL,
    "actor" TEXT,
    "reason" TEXT,
    "decidedAt" DATETIME NOT NULL,
    CONSTRAINT "ApprovalDecision_stepRunId_fkey" FOREIGN KEY ("stepRunId") REFERENCES "StepRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

