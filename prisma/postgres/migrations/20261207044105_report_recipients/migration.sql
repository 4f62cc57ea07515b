-- AlterTable
ALTER TABLE "User" ADD COLUMN     "email" TEXT;

-- CreateTable
CREATE TABLE "ReportRecipient" (
    "reportId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "projectIds" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "detail" TEXT,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "ReportRecipient_pkey" PRIMARY KEY ("reportId","userId")
);

-- CreateTable
CREATE TABLE "ReportCopy" (
    "reportId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "total" INTEGER NOT NULL,
    "totals" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "extension" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "bytes" BYTEA NOT NULL,

    CONSTRAINT "ReportCopy_pkey" PRIMARY KEY ("reportId","scope","format")
);

-- AddForeignKey
ALTER TABLE "ReportRecipient" ADD CONSTRAINT "ReportRecipient_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportCopy" ADD CONSTRAINT "ReportCopy_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE CASCADE ON UPDATE CASCADE;

