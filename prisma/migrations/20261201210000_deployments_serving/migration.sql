-- Deployments and serving (issue 12): alias policy and default rollout plan, shadow share, the new actions,
-- per-version traffic aggregates the serving replicas write and the analyser reads, and business feedback.
ALTER TYPE "deployment_action" ADD VALUE 'SHADOW';
ALTER TYPE "deployment_action" ADD VALUE 'ABORT';

ALTER TABLE "deployments"
    ADD COLUMN "alias_policy" VARCHAR(16) NOT NULL DEFAULT 'redeploy',
    ADD COLUMN "rollout_plan" JSONB;

ALTER TABLE "deployment_revisions" ADD COLUMN "shadow_traffic_percent" INTEGER NOT NULL DEFAULT 0;

CREATE TABLE "deployment_metrics" (
    "deployment_id" UUID NOT NULL,
    "version_id" UUID NOT NULL,
    "role" VARCHAR(16) NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "latency_buckets" INTEGER[],
    "latency_sum_ms" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "features" JSONB,
    "predictions" JSONB,

    CONSTRAINT "deployment_metrics_pkey" PRIMARY KEY ("deployment_id","version_id","role","window_start")
);

CREATE INDEX "deployment_metrics_deployment_id_window_start_idx" ON "deployment_metrics"("deployment_id", "window_start");

ALTER TABLE "deployment_metrics" ADD CONSTRAINT "deployment_metrics_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployments"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "deployment_metrics" ADD CONSTRAINT "deployment_metrics_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "model_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "deployment_feedback" (
    "id" BIGSERIAL NOT NULL,
    "deployment_id" UUID NOT NULL,
    "version_id" UUID NOT NULL,
    "request_id" VARCHAR(128) NOT NULL,
    "metric" VARCHAR(128) NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deployment_feedback_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "deployment_feedback_deployment_id_created_at_idx" ON "deployment_feedback"("deployment_id", "created_at");

ALTER TABLE "deployment_feedback" ADD CONSTRAINT "deployment_feedback_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployments"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "deployment_feedback" ADD CONSTRAINT "deployment_feedback_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "model_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
