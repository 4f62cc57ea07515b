-- AlterTable
ALTER TABLE "ReportArtifact" ADD COLUMN     "file" TEXT,
ALTER COLUMN "bytes" DROP NOT NULL;

