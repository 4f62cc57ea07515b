-- AlterTable
ALTER TABLE "ContactPoint" ADD COLUMN     "circuitFailures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "circuitOpenUntil" TIMESTAMP(3);

