-- Training jobs (issue 11): what the job trains on and logs to, what it produced, where it is, and its attempts.
ALTER TABLE "training_jobs"
    ADD COLUMN "name" VARCHAR(256) NOT NULL DEFAULT '',
    ADD COLUMN "experiment_id" UUID,
    ADD COLUMN "target_column" VARCHAR(256),
    ADD COLUMN "feature_columns" JSONB,
    ADD COLUMN "register_alias" VARCHAR(256),
    ADD COLUMN "model_version_id" UUID,
    ADD COLUMN "max_attempts" INTEGER NOT NULL DEFAULT 3,
    ADD COLUMN "attempt_history" JSONB NOT NULL DEFAULT '[]',
    ADD COLUMN "progress" JSONB,
    ADD COLUMN "evaluation" JSONB,
    ADD COLUMN "result" JSONB,
    ADD COLUMN "cancel_requested_at" TIMESTAMPTZ(3),
    ADD COLUMN "cancel_requested_by" VARCHAR(256);

ALTER TABLE "training_jobs" ADD CONSTRAINT "training_jobs_experiment_id_fkey" FOREIGN KEY ("experiment_id") REFERENCES "experiments"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "training_jobs" ADD CONSTRAINT "training_jobs_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The queue relay looks for QUEUED jobs that never got a queue message.
CREATE INDEX "training_jobs_status_queue_job_id_idx" ON "training_jobs"("status", "queue_job_id");
