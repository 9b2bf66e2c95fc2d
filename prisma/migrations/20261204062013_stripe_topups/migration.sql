-- CreateEnum
CREATE TYPE "TopUpStatus" AS ENUM ('pending', 'open', 'awaiting_payment', 'credited', 'failed', 'expired', 'mismatch');

-- CreateEnum
CREATE TYPE "DisputeStatus" AS ENUM ('open', 'won', 'lost');

-- AlterTable
ALTER TABLE "accounts" ADD COLUMN     "stripe_customer_id" VARCHAR(255);

-- CreateTable
CREATE TABLE "topup_quotes" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "status" "TopUpStatus" NOT NULL DEFAULT 'pending',
    "requester_platform" VARCHAR(16) NOT NULL,
    "requester_id" VARCHAR(64) NOT NULL,
    "requester_name" VARCHAR(200),
    "workspace_id" VARCHAR(64) NOT NULL,
    "channel_id" VARCHAR(64),
    "open_key" VARCHAR(255),
    "stripe_session_id" VARCHAR(255),
    "checkout_url" VARCHAR(2048),
    "expires_at" TIMESTAMPTZ(3),
    "payment_intent_id" VARCHAR(255),
    "paid_stripe_amount" BIGINT,
    "receipt_url" VARCHAR(2048),
    "refunded_stripe_amount" BIGINT NOT NULL DEFAULT 0,
    "problem" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "topup_quotes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "topup_disputes" (
    "id" VARCHAR(255) NOT NULL,
    "quote_id" UUID NOT NULL,
    "held_minor" BIGINT NOT NULL,
    "status" "DisputeStatus" NOT NULL DEFAULT 'open',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "topup_disputes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "topup_quotes_open_key_key" ON "topup_quotes"("open_key");

-- CreateIndex
CREATE UNIQUE INDEX "topup_quotes_stripe_session_id_key" ON "topup_quotes"("stripe_session_id");

-- CreateIndex
CREATE UNIQUE INDEX "topup_quotes_payment_intent_id_key" ON "topup_quotes"("payment_intent_id");

-- CreateIndex
CREATE INDEX "topup_quotes_account_id_created_at_idx" ON "topup_quotes"("account_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "topup_quotes_status_created_at_idx" ON "topup_quotes"("status", "created_at");

-- CreateIndex
CREATE INDEX "topup_disputes_quote_id_idx" ON "topup_disputes"("quote_id");

-- CreateIndex
CREATE UNIQUE INDEX "accounts_stripe_customer_id_key" ON "accounts"("stripe_customer_id");

-- AddForeignKey
ALTER TABLE "topup_quotes" ADD CONSTRAINT "topup_quotes_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "topup_disputes" ADD CONSTRAINT "topup_disputes_quote_id_fkey" FOREIGN KEY ("quote_id") REFERENCES "topup_quotes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

