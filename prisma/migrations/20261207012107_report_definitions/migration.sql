-- CreateTable
CREATE TABLE "ReportDefinition" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "schedule" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "periodKind" TEXT NOT NULL,
    "windowHours" INTEGER,
    "filter" TEXT NOT NULL,
    "sections" TEXT NOT NULL,
    "formats" TEXT NOT NULL,
    "contactPointIds" TEXT NOT NULL,
    "recipientIds" TEXT NOT NULL,
    "skipIfEmpty" BOOLEAN NOT NULL DEFAULT false,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ReportDefinitionProject" (
    "definitionId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,

    PRIMARY KEY ("definitionId", "projectId"),
    CONSTRAINT "ReportDefinitionProject_definitionId_fkey" FOREIGN KEY ("definitionId") REFERENCES "ReportDefinition" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ReportDefinitionProject_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Report" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "definitionId" TEXT NOT NULL,
    "periodStart" DATETIME NOT NULL,
    "periodEnd" DATETIME NOT NULL,
    "state" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "projectIds" TEXT NOT NULL,
    "snapshot" BIGINT NOT NULL,
    "generatedAt" DATETIME NOT NULL,
    "total" INTEGER NOT NULL,
    "totals" TEXT NOT NULL,
    "deliveryState" TEXT NOT NULL,
    "deliveryUntil" DATETIME,
    "deliveryTries" INTEGER NOT NULL DEFAULT 0,
    "deliveryError" TEXT,
    "deliveredAt" DATETIME,
    CONSTRAINT "Report_definitionId_fkey" FOREIGN KEY ("definitionId") REFERENCES "ReportDefinition" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReportArtifact" (
    "reportId" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "extension" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "bytes" BLOB NOT NULL,

    PRIMARY KEY ("reportId", "format"),
    CONSTRAINT "ReportArtifact_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ReportDefinitionProject_projectId_idx" ON "ReportDefinitionProject"("projectId");

-- CreateIndex
CREATE INDEX "Report_deliveryState_idx" ON "Report"("deliveryState");

-- CreateIndex
CREATE INDEX "Report_generatedAt_idx" ON "Report"("generatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Report_definitionId_periodStart_key" ON "Report"("definitionId", "periodStart");

