-- AlterTable
ALTER TABLE "ledger_entries" ADD COLUMN     "occurred_at" TIMESTAMPTZ(3);

