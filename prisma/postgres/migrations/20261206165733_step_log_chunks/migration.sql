-- CreateTable
CREATE TABLE "StepLogChunk" (
    "stepRunId" TEXT NOT NULL,
    "offset" BIGINT NOT NULL,
    "bytes" BYTEA NOT NULL,

    CONSTRAINT "StepLogChunk_pkey" PRIMARY KEY ("stepRunId","offset")
);

-- AddForeignKey
ALTER TABLE "StepLogChunk" ADD CONSTRAINT "StepLogChunk_stepRunId_fkey" FOREIGN KEY ("stepRunId") REFERENCES "StepRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

