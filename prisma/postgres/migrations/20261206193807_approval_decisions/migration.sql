-- CreateTable
CREATE TABLE "ApprovalDecision" (
    "stepRunId" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "actor" TEXT,
    "reason" TEXT,
    "decidedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ApprovalDecision_pkey" PRIMARY KEY ("stepRunId")
);

-- AddForeignKey
ALTER TABLE "ApprovalDecision" ADD CONSTRAINT "ApprovalDecision_stepRunId_fkey" FOREIGN KEY ("stepRunId") REFERENCES "StepRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

