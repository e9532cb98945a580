-- CreateEnum
CREATE TYPE "model_version_status" AS ENUM ('PENDING_UPLOAD', 'READY', 'FAILED', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "run_status" AS ENUM ('QUEUED', 'RUNNING', 'FINISHED', 'FAILED', 'KILLED');

-- CreateEnum
CREATE TYPE "training_job_status" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "tuning_strategy" AS ENUM ('GRID', 'RANDOM', 'BAYESIAN');

-- CreateEnum
CREATE TYPE "tuning_study_status" AS ENUM ('CREATED', 'RUNNING', 'STOPPING', 'COMPLETED', 'STOPPED', 'FAILED');

-- CreateEnum
CREATE TYPE "tuning_trial_status" AS ENUM ('QUEUED', 'RUNNING', 'COMPLETED', 'PRUNED', 'FAILED');

-- CreateEnum
CREATE TYPE "deployment_status" AS ENUM ('ACTIVE', 'ROLLING_OUT', 'PAUSED', 'DELETED');

-- CreateEnum
CREATE TYPE "deployment_action" AS ENUM ('CREATE', 'UPDATE', 'GRAY_START', 'GRAY_STEP', 'PROMOTE', 'ROLLBACK', 'AUTO_ROLLBACK', 'ALIAS_REDEPLOY');

-- CreateEnum
CREATE TYPE "api_token_role" AS ENUM ('VIEWER', 'EDITOR', 'ADMIN');

-- CreateEnum
CREATE TYPE "webhook_delivery_status" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "models" (
    "id" UUID NOT NULL,
    "name" VARCHAR(256) NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "models_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_versions" (
    "id" UUID NOT NULL,
    "model_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "model_version_status" NOT NULL DEFAULT 'PENDING_UPLOAD',
    "description" TEXT NOT NULL DEFAULT '',
    "artifact_uri" TEXT,
    "sha256" CHAR(64),
    "signature" TEXT,
    "size_bytes" BIGINT,
    "algorithm" VARCHAR(64),
    "framework" VARCHAR(64),
    "input_schema" JSONB,
    "training_profile" JSONB,
    "evaluation" JSONB,
    "run_id" UUID,
    "created_by" VARCHAR(256),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ready_at" TIMESTAMPTZ(3),
    "archived_at" TIMESTAMPTZ(3),

    CONSTRAINT "model_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_aliases" (
    "id" UUID NOT NULL,
    "model_id" UUID NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "version_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "model_aliases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_tags" (
    "model_id" UUID NOT NULL,
    "key" VARCHAR(256) NOT NULL,
    "value" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "model_tags_pkey" PRIMARY KEY ("model_id","key")
);

-- CreateTable
CREATE TABLE "model_version_tags" (
    "version_id" UUID NOT NULL,
    "key" VARCHAR(256) NOT NULL,
    "value" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "model_version_tags_pkey" PRIMARY KEY ("version_id","key")
);

-- CreateTable
CREATE TABLE "experiments" (
    "id" UUID NOT NULL,
    "name" VARCHAR(256) NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "archived_at" TIMESTAMPTZ(3),

    CONSTRAINT "experiments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "experiment_tags" (
    "experiment_id" UUID NOT NULL,
    "key" VARCHAR(256) NOT NULL,
    "value" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "experiment_tags_pkey" PRIMARY KEY ("experiment_id","key")
);

-- CreateTable
CREATE TABLE "runs" (
    "id" UUID NOT NULL,
    "experiment_id" UUID NOT NULL,
    "name" VARCHAR(256) NOT NULL DEFAULT '',
    "status" "run_status" NOT NULL DEFAULT 'RUNNING',
    "seed" INTEGER,
    "dataset_id" UUID,
    "dataset_sha256" CHAR(64),
    "code_version" VARCHAR(128),
    "tf_backend" VARCHAR(64),
    "worker_id" VARCHAR(256),
    "created_by" VARCHAR(256),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run_params" (
    "run_id" UUID NOT NULL,
    "key" VARCHAR(256) NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "run_params_pkey" PRIMARY KEY ("run_id","key")
);

-- CreateTable
CREATE TABLE "run_tags" (
    "run_id" UUID NOT NULL,
    "key" VARCHAR(256) NOT NULL,
    "value" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "run_tags_pkey" PRIMARY KEY ("run_id","key")
);

-- CreateTable
CREATE TABLE "metrics" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "key" VARCHAR(256) NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "step" BIGINT NOT NULL DEFAULT 0,
    "timestamp" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "metrics_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "latest_metrics" (
    "run_id" UUID NOT NULL,
    "key" VARCHAR(256) NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "step" BIGINT NOT NULL DEFAULT 0,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "latest_metrics_pkey" PRIMARY KEY ("run_id","key")
);

-- CreateTable
CREATE TABLE "artifacts" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "path" VARCHAR(1024) NOT NULL,
    "uri" TEXT NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "size_bytes" BIGINT NOT NULL,
    "content_type" VARCHAR(256) NOT NULL DEFAULT 'application/octet-stream',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "artifacts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "datasets" (
    "id" UUID NOT NULL,
    "name" VARCHAR(256) NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "rows" INTEGER NOT NULL,
    "columns" JSONB NOT NULL,
    "target_column" VARCHAR(256),
    "storage_uri" TEXT NOT NULL,
    "size_bytes" BIGINT NOT NULL,
    "profile" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "datasets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workers" (
    "id" VARCHAR(256) NOT NULL,
    "host" VARCHAR(256) NOT NULL,
    "pid" INTEGER NOT NULL,
    "tf_backend" VARCHAR(64) NOT NULL,
    "device" VARCHAR(512) NOT NULL DEFAULT '',
    "backend_info" JSONB,
    "concurrency" INTEGER NOT NULL DEFAULT 1,
    "version" VARCHAR(64) NOT NULL DEFAULT '',
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_heartbeat_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stopped_at" TIMESTAMPTZ(3),

    CONSTRAINT "workers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "training_jobs" (
    "id" UUID NOT NULL,
    "status" "training_job_status" NOT NULL DEFAULT 'QUEUED',
    "algorithm" VARCHAR(64) NOT NULL,
    "hyperparameters" JSONB NOT NULL,
    "evaluation_plan" JSONB NOT NULL,
    "seed" INTEGER,
    "dataset_id" UUID,
    "run_id" UUID,
    "register_model" VARCHAR(256),
    "queue_job_id" VARCHAR(64),
    "worker_id" VARCHAR(256),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_by" VARCHAR(256),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "heartbeat_at" TIMESTAMPTZ(3),

    CONSTRAINT "training_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tuning_studies" (
    "id" UUID NOT NULL,
    "name" VARCHAR(256) NOT NULL,
    "experiment_id" UUID,
    "algorithm" VARCHAR(64) NOT NULL,
    "dataset_id" UUID,
    "search_space" JSONB NOT NULL,
    "strategy" "tuning_strategy" NOT NULL,
    "objective" JSONB NOT NULL,
    "evaluation_plan" JSONB NOT NULL,
    "max_trials" INTEGER NOT NULL,
    "parallelism" INTEGER NOT NULL DEFAULT 1,
    "early_stopping" JSONB,
    "seed" INTEGER,
    "status" "tuning_study_status" NOT NULL DEFAULT 'CREATED',
    "best_trial_id" UUID,
    "created_by" VARCHAR(256),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "tuning_studies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tuning_trials" (
    "id" UUID NOT NULL,
    "study_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "params" JSONB NOT NULL,
    "status" "tuning_trial_status" NOT NULL DEFAULT 'QUEUED',
    "value" DOUBLE PRECISION,
    "intermediate_values" JSONB NOT NULL DEFAULT '[]',
    "run_id" UUID,
    "training_job_id" UUID,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "tuning_trials_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployments" (
    "id" UUID NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "model_id" UUID NOT NULL,
    "tracked_alias" VARCHAR(128),
    "status" "deployment_status" NOT NULL DEFAULT 'ACTIVE',
    "current_revision" INTEGER NOT NULL DEFAULT 0,
    "created_by" VARCHAR(256),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "deployments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployment_revisions" (
    "id" UUID NOT NULL,
    "deployment_id" UUID NOT NULL,
    "revision" INTEGER NOT NULL,
    "action" "deployment_action" NOT NULL,
    "stable_version_id" UUID NOT NULL,
    "canary_version_id" UUID,
    "canary_traffic_percent" INTEGER NOT NULL DEFAULT 0,
    "sticky_key" VARCHAR(128),
    "shadow_version_id" UUID,
    "rollout_plan" JSONB,
    "rollout_step" INTEGER,
    "reason" TEXT NOT NULL DEFAULT '',
    "created_by" VARCHAR(256),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deployment_revisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployment_events" (
    "id" BIGSERIAL NOT NULL,
    "deployment_id" UUID NOT NULL,
    "revision_id" UUID,
    "type" VARCHAR(64) NOT NULL,
    "message" TEXT NOT NULL DEFAULT '',
    "data" JSONB,
    "actor" VARCHAR(256),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deployment_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "role" "api_token_role" NOT NULL,
    "token_hash" CHAR(64) NOT NULL,
    "prefix" VARCHAR(16) NOT NULL,
    "created_by" VARCHAR(256),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "actor_token_id" UUID,
    "actor" VARCHAR(256) NOT NULL,
    "action" VARCHAR(128) NOT NULL,
    "entity_type" VARCHAR(64) NOT NULL,
    "entity_id" VARCHAR(256) NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "request_id" VARCHAR(64),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhooks" (
    "id" UUID NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "events" TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_by" VARCHAR(256),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "webhooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" UUID NOT NULL,
    "webhook_id" UUID NOT NULL,
    "event" VARCHAR(128) NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "webhook_delivery_status" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "response_status" INTEGER,
    "response_body" TEXT,
    "error" TEXT,
    "next_attempt_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "models_name_key" ON "models"("name");

-- CreateIndex
CREATE INDEX "model_versions_run_id_idx" ON "model_versions"("run_id");

-- CreateIndex
CREATE INDEX "model_versions_status_idx" ON "model_versions"("status");

-- CreateIndex
CREATE UNIQUE INDEX "model_versions_model_id_version_key" ON "model_versions"("model_id", "version");

-- CreateIndex
CREATE INDEX "model_aliases_version_id_idx" ON "model_aliases"("version_id");

-- CreateIndex
CREATE UNIQUE INDEX "model_aliases_model_id_name_key" ON "model_aliases"("model_id", "name");

-- CreateIndex
CREATE INDEX "model_tags_key_value_idx" ON "model_tags"("key", "value");

-- CreateIndex
CREATE INDEX "model_version_tags_key_value_idx" ON "model_version_tags"("key", "value");

-- CreateIndex
CREATE UNIQUE INDEX "experiments_name_key" ON "experiments"("name");

-- CreateIndex
CREATE INDEX "runs_experiment_id_created_at_idx" ON "runs"("experiment_id", "created_at");

-- CreateIndex
CREATE INDEX "runs_status_idx" ON "runs"("status");

-- CreateIndex
CREATE INDEX "run_params_key_value_idx" ON "run_params"("key", "value");

-- CreateIndex
CREATE INDEX "run_tags_key_value_idx" ON "run_tags"("key", "value");

-- CreateIndex
CREATE INDEX "metrics_run_id_key_step_idx" ON "metrics"("run_id", "key", "step");

-- CreateIndex
CREATE INDEX "metrics_key_value_idx" ON "metrics"("key", "value");

-- CreateIndex
CREATE INDEX "latest_metrics_key_value_idx" ON "latest_metrics"("key", "value");

-- CreateIndex
CREATE UNIQUE INDEX "artifacts_run_id_path_key" ON "artifacts"("run_id", "path");

-- CreateIndex
CREATE UNIQUE INDEX "datasets_sha256_key" ON "datasets"("sha256");

-- CreateIndex
CREATE INDEX "datasets_name_idx" ON "datasets"("name");

-- CreateIndex
CREATE INDEX "workers_last_heartbeat_at_idx" ON "workers"("last_heartbeat_at");

-- CreateIndex
CREATE UNIQUE INDEX "training_jobs_run_id_key" ON "training_jobs"("run_id");

-- CreateIndex
CREATE INDEX "training_jobs_status_created_at_idx" ON "training_jobs"("status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "tuning_studies_name_key" ON "tuning_studies"("name");

-- CreateIndex
CREATE UNIQUE INDEX "tuning_studies_best_trial_id_key" ON "tuning_studies"("best_trial_id");

-- CreateIndex
CREATE UNIQUE INDEX "tuning_trials_run_id_key" ON "tuning_trials"("run_id");

-- CreateIndex
CREATE UNIQUE INDEX "tuning_trials_training_job_id_key" ON "tuning_trials"("training_job_id");

-- CreateIndex
CREATE INDEX "tuning_trials_study_id_status_idx" ON "tuning_trials"("study_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "tuning_trials_study_id_number_key" ON "tuning_trials"("study_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "deployments_name_key" ON "deployments"("name");

-- CreateIndex
CREATE UNIQUE INDEX "deployment_revisions_deployment_id_revision_key" ON "deployment_revisions"("deployment_id", "revision");

-- CreateIndex
CREATE INDEX "deployment_events_deployment_id_created_at_idx" ON "deployment_events"("deployment_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "audit_log_entity_type_entity_id_idx" ON "audit_log"("entity_type", "entity_id");

-- CreateIndex
CREATE INDEX "audit_log_created_at_idx" ON "audit_log"("created_at");

-- CreateIndex
CREATE INDEX "audit_log_action_idx" ON "audit_log"("action");

-- CreateIndex
CREATE INDEX "webhook_deliveries_webhook_id_created_at_idx" ON "webhook_deliveries"("webhook_id", "created_at");

-- AddForeignKey
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "model_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_tags" ADD CONSTRAINT "model_tags_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_version_tags" ADD CONSTRAINT "model_version_tags_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "model_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "experiment_tags" ADD CONSTRAINT "experiment_tags_experiment_id_fkey" FOREIGN KEY ("experiment_id") REFERENCES "experiments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_experiment_id_fkey" FOREIGN KEY ("experiment_id") REFERENCES "experiments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_worker_id_fkey" FOREIGN KEY ("worker_id") REFERENCES "workers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_params" ADD CONSTRAINT "run_params_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_tags" ADD CONSTRAINT "run_tags_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metrics" ADD CONSTRAINT "metrics_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "latest_metrics" ADD CONSTRAINT "latest_metrics_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "training_jobs" ADD CONSTRAINT "training_jobs_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "training_jobs" ADD CONSTRAINT "training_jobs_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "training_jobs" ADD CONSTRAINT "training_jobs_worker_id_fkey" FOREIGN KEY ("worker_id") REFERENCES "workers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tuning_studies" ADD CONSTRAINT "tuning_studies_experiment_id_fkey" FOREIGN KEY ("experiment_id") REFERENCES "experiments"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tuning_studies" ADD CONSTRAINT "tuning_studies_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tuning_studies" ADD CONSTRAINT "tuning_studies_best_trial_id_fkey" FOREIGN KEY ("best_trial_id") REFERENCES "tuning_trials"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tuning_trials" ADD CONSTRAINT "tuning_trials_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "tuning_studies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tuning_trials" ADD CONSTRAINT "tuning_trials_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tuning_trials" ADD CONSTRAINT "tuning_trials_training_job_id_fkey" FOREIGN KEY ("training_job_id") REFERENCES "training_jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_revisions" ADD CONSTRAINT "deployment_revisions_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_revisions" ADD CONSTRAINT "deployment_revisions_stable_version_id_fkey" FOREIGN KEY ("stable_version_id") REFERENCES "model_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_revisions" ADD CONSTRAINT "deployment_revisions_canary_version_id_fkey" FOREIGN KEY ("canary_version_id") REFERENCES "model_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_revisions" ADD CONSTRAINT "deployment_revisions_shadow_version_id_fkey" FOREIGN KEY ("shadow_version_id") REFERENCES "model_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_events" ADD CONSTRAINT "deployment_events_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_events" ADD CONSTRAINT "deployment_events_revision_id_fkey" FOREIGN KEY ("revision_id") REFERENCES "deployment_revisions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_token_id_fkey" FOREIGN KEY ("actor_token_id") REFERENCES "api_tokens"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
