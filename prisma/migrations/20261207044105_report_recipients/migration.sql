-- AlterTable
ALTER TABLE "User" ADD COLUMN "email" TEXT;

-- CreateTable
CREATE TABLE "ReportRecipient" (
    "reportId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "projectIds" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "detail" TEXT,
    "sentAt" DATETIME,

    PRIMARY KEY ("reportId", "userId"),
    CONSTRAINT "ReportRecipient_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
    "bytes" BLOB NOT NULL,

    PRIMARY KEY ("reportId", "scope", "format"),
    CONSTRAINT "ReportCopy_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

