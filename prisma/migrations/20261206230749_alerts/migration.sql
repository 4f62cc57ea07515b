-- CreateTable
CREATE TABLE "AlertRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "selector" TEXT NOT NULL,
    "params" TEXT NOT NULL,
    "lifecycle" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AlertRule_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AlertRuleContact" (
    "ruleId" TEXT NOT NULL,
    "contactPointId" TEXT NOT NULL,

    PRIMARY KEY ("ruleId", "contactPointId"),
    CONSTRAINT "AlertRuleContact_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "AlertRule" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AlertRuleContact_contactPointId_fkey" FOREIGN KEY ("contactPointId") REFERENCES "ContactPoint" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AlertInstance" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ruleId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "groupKey" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "activeSince" DATETIME,
    "lastActiveAt" DATETIME,
    "firedAt" DATETIME,
    "resolvedAt" DATETIME,
    "summary" TEXT NOT NULL,
    "firingNotified" BOOLEAN NOT NULL DEFAULT false,
    "lastNotifiedAt" DATETIME,
    "acknowledgedBy" TEXT,
    "acknowledgedAt" DATETIME,
    "flappingSince" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AlertInstance_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "AlertRule" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AlertEvent" (
    "seq" BIGINT NOT NULL PRIMARY KEY,
    "instanceId" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "from" TEXT,
    "to" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "message" TEXT,
    "actor" TEXT
);

-- CreateTable
CREATE TABLE "Silence" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "ruleIds" TEXT NOT NULL,
    "workflowIds" TEXT NOT NULL,
    "workflowNames" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "comment" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Silence_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AlertCursor" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "seq" BIGINT NOT NULL
);

-- CreateTable
CREATE TABLE "ContactPoint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "settings" TEXT NOT NULL,
    "secret" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ContactPoint_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AlertNotification" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "contactPointId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "groupKey" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "deliveredAt" DATETIME,
    "lastError" TEXT,
    CONSTRAINT "AlertNotification_contactPointId_fkey" FOREIGN KEY ("contactPointId") REFERENCES "ContactPoint" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AlertDelivery" (
    "notificationId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "statusCode" INTEGER,
    "error" TEXT,
    "durationMs" INTEGER NOT NULL,

    PRIMARY KEY ("notificationId", "attempt"),
    CONSTRAINT "AlertDelivery_notificationId_fkey" FOREIGN KEY ("notificationId") REFERENCES "AlertNotification" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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

