-- CreateTable
CREATE TABLE "slack_installations" (
    "key" VARCHAR(80) NOT NULL,
    "team_id" VARCHAR(32),
    "enterprise_id" VARCHAR(32),
    "is_enterprise_install" BOOLEAN NOT NULL DEFAULT false,
    "installation" JSONB NOT NULL,
    "installed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slack_installations_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "processed_deliveries" (
    "key" VARCHAR(255) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_deliveries_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "slack_installations_team_id_idx" ON "slack_installations"("team_id");

-- CreateIndex
CREATE INDEX "slack_installations_enterprise_id_idx" ON "slack_installations"("enterprise_id");

