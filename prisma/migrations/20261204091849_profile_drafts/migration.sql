-- CreateTable
CREATE TABLE "profile_drafts" (
    "id" UUID NOT NULL,
    "platform" VARCHAR(16) NOT NULL,
    "workspace_id" VARCHAR(64) NOT NULL,
    "user_id" VARCHAR(64) NOT NULL,
    "values" JSONB NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "profile_drafts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "profile_drafts_expires_at_idx" ON "profile_drafts"("expires_at");

