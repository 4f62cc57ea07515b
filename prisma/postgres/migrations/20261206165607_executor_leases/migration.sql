-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "fence" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "leaseExpiresAt" TIMESTAMP(3),
ADD COLUMN     "leaseOwner" TEXT;

-- CreateTable
CREATE TABLE "RunSlot" (
    "scope" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "runId" TEXT NOT NULL,

    CONSTRAINT "RunSlot_pkey" PRIMARY KEY ("scope","slot")
);

-- CreateTable
CREATE TABLE "Executor" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "labels" JSONB NOT NULL,
    "concurrency" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Executor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessLease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "fence" INTEGER NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProcessLease_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "RunSlot_runId_idx" ON "RunSlot"("runId");

-- CreateIndex
CREATE INDEX "Run_leaseExpiresAt_idx" ON "Run"("leaseExpiresAt");

