ALTER TABLE "bank_imports" ADD COLUMN "recovery_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "bank_imports" ADD COLUMN "recovered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contents" ADD COLUMN "recovery_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "contents_unfinished_idx" ON "contents" USING btree ("updated_at") WHERE "contents"."status" in ('received','processing');