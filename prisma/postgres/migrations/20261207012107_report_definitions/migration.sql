-- CreateTable
CREATE TABLE "ReportDefinition" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReportDefinition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportDefinitionProject" (
    "definitionId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,

    CONSTRAINT "ReportDefinitionProject_pkey" PRIMARY KEY ("definitionId","projectId")
);

-- CreateTable
CREATE TABLE "Report" (
    "id" TEXT NOT NULL,
    "definitionId" TEXT NOT NULL,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "periodEnd" TIMESTAMP(3) NOT NULL,
    "state" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "projectIds" TEXT NOT NULL,
    "snapshot" BIGINT NOT NULL,
    "generatedAt" TIMESTAMP(3) NOT NULL,
    "total" INTEGER NOT NULL,
    "totals" TEXT NOT NULL,
    "deliveryState" TEXT NOT NULL,
    "deliveryUntil" TIMESTAMP(3),
    "deliveryTries" INTEGER NOT NULL DEFAULT 0,
    "deliveryError" TEXT,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "Report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportArtifact" (
    "reportId" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "extension" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "bytes" BYTEA NOT NULL,

    CONSTRAINT "ReportArtifact_pkey" PRIMARY KEY ("reportId","format")
);

-- CreateIndex
CREATE INDEX "ReportDefinitionProject_projectId_idx" ON "ReportDefinitionProject"("projectId");

-- CreateIndex
CREATE INDEX "Report_deliveryState_idx" ON "Report"("deliveryState");

-- CreateIndex
CREATE INDEX "Report_generatedAt_idx" ON "Report"("generatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Report_definitionId_periodStart_key" ON "Report"("definitionId", "periodStart");

-- AddForeignKey
ALTER TABLE "ReportDefinitionProject" ADD CONSTRAINT "ReportDefinitionProject_definitionId_fkey" FOREIGN KEY ("definitionId") REFERENCES "ReportDefinition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportDefinitionProject" ADD CONSTRAINT "ReportDefinitionProject_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_definitionId_fkey" FOREIGN KEY ("definitionId") REFERENCES "ReportDefinition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportArtifact" ADD CONSTRAINT "ReportArtifact_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE CASCADE ON UPDATE CASCADE;

