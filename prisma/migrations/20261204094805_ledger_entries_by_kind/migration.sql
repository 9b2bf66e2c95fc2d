-- CreateIndex
CREATE INDEX "ledger_entries_account_id_kind_occurred_at_idx" ON "ledger_entries"("account_id", "kind", "occurred_at");

