-- Tuning studies (issue 13): what a study trains on, its sampler's options, its budget and failure policy,
-- where its best trial goes, and how it was stopped; a pruned trial's step and reason.
ALTER TYPE "tuning_strategy" RENAME VALUE 'BAYESIAN' TO 'TPE';

ALTER TABLE "tuning_studies"
    ADD COLUMN "description" TEXT,
    ADD COLUMN "target_column" VARCHAR(256),
    ADD COLUMN "feature_columns" JSONB,
    ADD COLUMN "fixed_hyperparameters" JSONB NOT NULL DEFAULT '{}',
    ADD COLUMN "sampler_options" JSONB NOT NULL DEFAULT '{}',
    ADD COLUMN "max_failed_trials" INTEGER NOT NULL DEFAULT 5,
    ADD COLUMN "trial_max_attempts" INTEGER NOT NULL DEFAULT 2,
    ADD COLUMN "register_model" VARCHAR(256),
    ADD COLUMN "register_alias" VARCHAR(256),
    ADD COLUMN "registered_version_id" UUID,
    ADD COLUMN "error" TEXT,
    ADD COLUMN "stop_requested_at" TIMESTAMPTZ(3),
    ADD COLUMN "stop_requested_by" VARCHAR(256),
    ADD COLUMN "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

ALTER TABLE "tuning_studies" ADD CONSTRAINT "tuning_studies_registered_version_id_fkey" FOREIGN KEY ("registered_version_id") REFERENCES "model_versions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The workers' sweep advances every RUNNING or STOPPING study; the list filters by status, newest first.
CREATE INDEX "tuning_studies_status_created_at_idx" ON "tuning_studies"("status", "created_at");

ALTER TABLE "tuning_trials"
    ADD COLUMN "pruned_at_step" INTEGER;
