-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ReportArtifact" (
    "reportId" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "extension" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "bytes" BLOB,
    "file" TEXT,

    PRIMARY KEY ("reportId", "format"),
    CONSTRAINT "ReportArtifact_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ReportArtifact" ("bytes", "contentType", "extension", "format", "reportId", "size") SELECT "bytes", "contentType", "extension", "format", "reportId", "size" FROM "ReportArtifact";
DROP TABLE "ReportArtifact";
ALTER TABLE "new_ReportArtifact" RENAME TO "ReportArtifact";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

