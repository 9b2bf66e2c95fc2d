-- CreateEnum
CREATE TYPE "AlertLevel" AS ENUM ('ok', 'runway', 'low', 'critical', 'depleted');

-- AlterTable
ALTER TABLE "accounts" ADD COLUMN     "alert_check_due" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "alert_settings" (
    "account_id" UUID NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "platform" VARCHAR(16) NOT NULL,
    "workspace_id" VARCHAR(64) NOT NULL,
    "channel_id" VARCHAR(64),
    "configured_by" VARCHAR(64) NOT NULL,
    "threshold_minor" BIGINT,
    "runway_days" INTEGER NOT NULL DEFAULT 7,
    "level" "AlertLevel" NOT NULL DEFAULT 'ok',
    "notified_at" TIMESTAMPTZ(3),
    "message_ref" VARCHAR(64),
    "snoozed_until" TIMESTAMPTZ(3),
    "channel_problem" VARCHAR(200),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "alert_settings_pkey" PRIMARY KEY ("account_id")
);

-- CreateTable
CREATE TABLE "job_leases" (
    "name" VARCHAR(64) NOT NULL,
    "last_slot" TIMESTAMPTZ(3) NOT NULL,
    "lease_until" TIMESTAMPTZ(3) NOT NULL,
    "holder" VARCHAR(128) NOT NULL,

    CONSTRAINT "job_leases_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "alert_settings_enabled_level_idx" ON "alert_settings"("enabled", "level");

-- CreateIndex
CREATE INDEX "accounts_alert_check_due_idx" ON "accounts"("alert_check_due");

-- AddForeignKey
ALTER TABLE "alert_settings" ADD CONSTRAINT "alert_settings_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

