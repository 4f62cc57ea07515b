-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ContactPoint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "settings" TEXT NOT NULL,
    "secret" TEXT,
    "ownerWorkflowId" TEXT,
    "circuitFailures" INTEGER NOT NULL DEFAULT 0,
    "circuitOpenUntil" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ContactPoint_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ContactPoint" ("createdAt", "id", "kind", "name", "ownerWorkflowId", "projectId", "secret", "settings", "updatedAt") SELECT "createdAt", "id", "kind", "name", "ownerWorkflowId", "projectId", "secret", "settings", "updatedAt" FROM "ContactPoint";
DROP TABLE "ContactPoint";
ALTER TABLE "new_ContactPoint" RENAME TO "ContactPoint";
CREATE UNIQUE INDEX "ContactPoint_projectId_name_key" ON "ContactPoint"("projectId", "name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

