-- CreateTable
CREATE TABLE "AlertRule" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "selector" TEXT NOT NULL,
    "params" TEXT NOT NULL,
    "lifecycle" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AlertRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertRuleContact" (
    "ruleId" TEXT NOT NULL,
    "contactPointId" TEXT NOT NULL,

    CONSTRAINT "AlertRuleContact_pkey" PRIMARY KEY ("ruleId","contactPointId")
);

-- CreateTable
CREATE TABLE "AlertInstance" (
    "id" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "groupKey" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "activeSince" TIMESTAMP(3),
    "lastActiveAt" TIMESTAMP(3),
    "firedAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "summary" TEXT NOT NULL,
    "firingNotified" BOOLEAN NOT NULL DEFAULT false,
    "lastNotifiedAt" TIMESTAMP(3),
    "acknowledgedBy" TEXT,
    "acknowledgedAt" TIMESTAMP(3),
    "flappingSince" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AlertInstance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertEvent" (
    "seq" BIGINT NOT NULL,
    "instanceId" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "from" TEXT,
    "to" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "message" TEXT,
    "actor" TEXT,

    CONSTRAINT "AlertEvent_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "Silence" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "ruleIds" TEXT NOT NULL,
    "workflowIds" TEXT NOT NULL,
    "workflowNames" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "comment" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Silence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertCursor" (
    "name" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,

    CONSTRAINT "AlertCursor_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "ContactPoint" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "settings" TEXT NOT NULL,
    "secret" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ContactPoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertNotification" (
    "id" TEXT NOT NULL,
    "contactPointId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "groupKey" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "deliveredAt" TIMESTAMP(3),
    "lastError" TEXT,

    CONSTRAINT "AlertNotification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertDelivery" (
    "notificationId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "statusCode" INTEGER,
    "error" TEXT,
    "durationMs" INTEGER NOT NULL,

    CONSTRAINT "AlertDelivery_pkey" PRIMARY KEY ("notificationId","attempt")
);

-- CreateIndex
CREATE UNIQUE INDEX "AlertRule_projectId_name_key" ON "AlertRule"("projectId", "name");

-- CreateIndex
CREATE INDEX "AlertRuleContact_contactPointId_idx" ON "AlertRuleContact"("contactPointId");

-- CreateIndex
CREATE INDEX "AlertInstance_projectId_state_idx" ON "AlertInstance"("projectId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "AlertInstance_ruleId_groupKey_key" ON "AlertInstance"("ruleId", "groupKey");

-- CreateIndex
CREATE INDEX "AlertEvent_projectId_seq_idx" ON "AlertEvent"("projectId", "seq");

-- CreateIndex
CREATE INDEX "AlertEvent_instanceId_seq_idx" ON "AlertEvent"("instanceId", "seq");

-- CreateIndex
CREATE INDEX "Silence_projectId_endsAt_idx" ON "Silence"("projectId", "endsAt");

-- CreateIndex
CREATE UNIQUE INDEX "ContactPoint_projectId_name_key" ON "ContactPoint"("projectId", "name");

-- CreateIndex
CREATE INDEX "AlertNotification_state_nextAttemptAt_idx" ON "AlertNotification"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "AlertNotification_contactPointId_createdAt_idx" ON "AlertNotification"("contactPointId", "createdAt");

-- CreateIndex
CREATE INDEX "AlertNotification_contactPointId_groupKey_state_idx" ON "AlertNotification"("contactPointId", "groupKey", "state");

-- AddForeignKey
ALTER TABLE "AlertRule" ADD CONSTRAINT "AlertRule_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertRuleContact" ADD CONSTRAINT "AlertRuleContact_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "AlertRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertRuleContact" ADD CONSTRAINT "AlertRuleContact_contactPointId_fkey" FOREIGN KEY ("contactPointId") REFERENCES "ContactPoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertInstance" ADD CONSTRAINT "AlertInstance_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "AlertRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Silence" ADD CONSTRAINT "Silence_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactPoint" ADD CONSTRAINT "ContactPoint_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertNotification" ADD CONSTRAINT "AlertNotification_contactPointId_fkey" FOREIGN KEY ("contactPointId") REFERENCES "ContactPoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertDelivery" ADD CONSTRAINT "AlertDelivery_notificationId_fkey" FOREIGN KEY ("notificationId") REFERENCES "AlertNotification"("id") ON DELETE CASCADE ON UPDATE CASCADE;

