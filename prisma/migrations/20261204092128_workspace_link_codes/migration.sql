-- CreateTable
CREATE TABLE "workspace_link_codes" (
    "id" UUID NOT NULL,
    "code_hash" VARCHAR(64) NOT NULL,
    "account_id" UUID NOT NULL,
    "platform" VARCHAR(16) NOT NULL,
    "workspace_id" VARCHAR(64) NOT NULL,
    "created_by_id" VARCHAR(64) NOT NULL,
    "created_by_name" VARCHAR(200),
    "open_key" VARCHAR(100),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "used_by_platform" VARCHAR(16),
    "used_by_workspace_id" VARCHAR(64),
    "used_by_id" VARCHAR(64),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workspace_link_codes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "workspace_link_codes_code_hash_key" ON "workspace_link_codes"("code_hash");

-- CreateIndex
CREATE UNIQUE INDEX "workspace_link_codes_open_key_key" ON "workspace_link_codes"("open_key");

-- CreateIndex
CREATE INDEX "workspace_link_codes_account_id_idx" ON "workspace_link_codes"("account_id");

-- AddForeignKey
ALTER TABLE "workspace_link_codes" ADD CONSTRAINT "workspace_link_codes_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

