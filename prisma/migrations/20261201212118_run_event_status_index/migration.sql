-- CreateIndex
CREATE INDEX "RunEvent_kind_to_seq_idx" ON "RunEvent"("kind", "to", "seq");

