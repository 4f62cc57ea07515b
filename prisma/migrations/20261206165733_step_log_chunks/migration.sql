-- CreateTable
CREATE TABLE "StepLogChunk" (
    "stepRunId" TEXT NOT NULL,
    "offset" BIGINT NOT NULL,
    "bytes" BLOB NOT NULL,

    PRIMARY KEY ("stepRunId", "offset"),
    CONSTRAINT "StepLogChunk_stepRunId_fkey" FOREIGN KEY ("stepRunId") REFERENCES "StepRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

