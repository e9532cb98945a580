-- AlterTable
ALTER TABLE "model_versions" ADD COLUMN     "signature_key_id" VARCHAR(64);

