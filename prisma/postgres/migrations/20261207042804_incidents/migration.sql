-- CreateTable
CREATE TABLE "Incident" (
    "id" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "openKey" TEXT,
    "openedAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncidentProject" (
    "incidentId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "members" INTEGER NOT NULL,
    "others" INTEGER NOT NULL,

    CONSTRAINT "IncidentProject_pkey" PRIMARY KEY ("incidentId","projectId")
);

-- CreateTable
CREATE TABLE "IncidentMember" (
    "incidentId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "error" TEXT,
    "failedStep" TEXT,
    "trigger" TEXT NOT NULL,
    "worker" TEXT,
    "tags" TEXT NOT NULL,

    CONSTRAINT "IncidentMember_pkey" PRIMARY KEY ("incidentId","runId")
);

-- CreateTable
CREATE TABLE "IncidentAttribute" (
    "incidentId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "members" INTEGER NOT NULL,
    "others" INTEGER NOT NULL,

    CONSTRAINT "IncidentAttribute_pkey" PRIMARY KEY ("incidentId","projectId","kind","value")
);

-- CreateIndex
CREATE UNIQUE INDEX "Incident_seq_key" ON "Incident"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "Incident_openKey_key" ON "Incident"("openKey");

-- CreateIndex
CREATE INDEX "Incident_openedAt_id_idx" ON "Incident"("openedAt", "id");

-- CreateIndex
CREATE INDEX "IncidentProject_projectId_incidentId_idx" ON "IncidentProject"("projectId", "incidentId");

-- CreateIndex
CREATE INDEX "IncidentMember_incidentId_projectId_idx" ON "IncidentMember"("incidentId", "projectId");

-- AddForeignKey
ALTER TABLE "IncidentProject" ADD CONSTRAINT "IncidentProject_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentMember" ADD CONSTRAINT "IncidentMember_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentAttribute" ADD CONSTRAINT "IncidentAttribute_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

