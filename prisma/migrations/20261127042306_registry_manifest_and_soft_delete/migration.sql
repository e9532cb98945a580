-- AlterTable
ALTER TABLE "model_versions" ADD COLUMN     "deleted_at" TIMESTAMPTZ(3),
ADD COLUMN     "manifest" JSONB;
