-- CreateTable
CREATE TABLE "artifact_upload_claims" (
    "run_id" UUID NOT NULL,
    "path" VARCHAR(1024) NOT NULL,
    "claimed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "artifact_upload_claims_pkey" PRIMARY KEY ("run_id","path")
);

-- AddForeignKey
ALTER TABLE "artifact_upload_claims" ADD CONSTRAINT "artifact_upload_claims_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

