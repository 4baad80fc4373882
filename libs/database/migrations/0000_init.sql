CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash"),
	CONSTRAINT "api_keys_role_check" CHECK ("api_keys"."role" in ('admin','service','moderator','ml_engineer','analyst'))
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"actor_id" uuid,
	"actor_role" text,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hash_bank_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bank_id" uuid NOT NULL,
	"signal_type" text NOT NULL,
	"hash" text NOT NULL,
	"quality" integer NOT NULL,
	"source" text NOT NULL,
	"content_id" uuid,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hash_banks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"policy_id" text,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "hash_banks_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "content_hashes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"content_id" uuid NOT NULL,
	"signal_type" text NOT NULL,
	"hash" text NOT NULL,
	"quality" integer NOT NULL,
	"frame_index" integer,
	"timestamp_seconds" double precision,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"media_sha256" text NOT NULL,
	"media_path" text NOT NULL,
	"media_format" text NOT NULL,
	"media_bytes" bigint NOT NULL,
	"width" integer,
	"height" integer,
	"caption" text,
	"hashtags" text[] DEFAULT '{}'::text[] NOT NULL,
	"creator_id" text NOT NULL,
	"region" text NOT NULL,
	"language" text NOT NULL,
	"failure_code" text,
	"failure_reason" text,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "contents_status_check" CHECK ("contents"."status" in ('received','processing','removed','in_review','allowed','failed'))
);
--> statement-breakpoint
CREATE TABLE "model_scores" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"content_id" uuid NOT NULL,
	"model_id" text NOT NULL,
	"model_version" text NOT NULL,
	"backend" text NOT NULL,
	"outputs" jsonb NOT NULL,
	"policy_scores" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "content_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"content_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"source" text NOT NULL,
	"reason" text NOT NULL,
	"policy_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"model_version" text,
	"bank_entry_id" uuid,
	"match_distance" integer,
	"actor_id" uuid,
	"thresholds" jsonb,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "content_decisions_outcome_check" CHECK ("content_decisions"."outcome" in ('removed','in_review','allowed')),
	CONSTRAINT "content_decisions_source_check" CHECK ("content_decisions"."source" in ('hash','model','human'))
);
--> statement-breakpoint
CREATE TABLE "policies" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"severity" text NOT NULL,
	"review_threshold" double precision NOT NULL,
	"remove_threshold" double precision NOT NULL,
	"model_inputs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"nuances" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"catalog_version" integer NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "policies_thresholds_check" CHECK ("policies"."review_threshold" between 0 and 1 and "policies"."remove_threshold" between 0 and 1),
	CONSTRAINT "policies_severity_check" CHECK ("policies"."severity" in ('low','medium','high','critical'))
);
--> statement-breakpoint
CREATE TABLE "policy_catalog_versions" (
	"version" integer PRIMARY KEY NOT NULL,
	"checksum" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"task_id" uuid NOT NULL,
	"content_id" uuid NOT NULL,
	"moderator_id" uuid NOT NULL,
	"labels" jsonb NOT NULL,
	"outcome" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"content_id" uuid NOT NULL,
	"queue" text DEFAULT 'default' NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"priority" double precision NOT NULL,
	"reason" text NOT NULL,
	"lease_holder_id" uuid,
	"lease_expires_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "review_tasks_status_check" CHECK ("review_tasks"."status" in ('open','leased','done'))
);
--> statement-breakpoint
CREATE TABLE "training_labels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"content_id" uuid NOT NULL,
	"decision_id" uuid,
	"labels" jsonb NOT NULL,
	"outcome" text NOT NULL,
	"provenance" text NOT NULL,
	"labeller_id" uuid NOT NULL,
	"labelled_at" timestamp with time zone NOT NULL,
	"model_scores" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "hash_bank_entries" ADD CONSTRAINT "hash_bank_entries_bank_id_hash_banks_id_fk" FOREIGN KEY ("bank_id") REFERENCES "public"."hash_banks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_hashes" ADD CONSTRAINT "content_hashes_content_id_contents_id_fk" FOREIGN KEY ("content_id") REFERENCES "public"."contents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_scores" ADD CONSTRAINT "model_scores_content_id_contents_id_fk" FOREIGN KEY ("content_id") REFERENCES "public"."contents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_decisions" ADD CONSTRAINT "content_decisions_content_id_contents_id_fk" FOREIGN KEY ("content_id") REFERENCES "public"."contents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_decisions" ADD CONSTRAINT "review_decisions_task_id_review_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."review_tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_decisions" ADD CONSTRAINT "review_decisions_content_id_contents_id_fk" FOREIGN KEY ("content_id") REFERENCES "public"."contents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_tasks" ADD CONSTRAINT "review_tasks_content_id_contents_id_fk" FOREIGN KEY ("content_id") REFERENCES "public"."contents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_labels" ADD CONSTRAINT "training_labels_content_id_contents_id_fk" FOREIGN KEY ("content_id") REFERENCES "public"."contents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_labels" ADD CONSTRAINT "training_labels_decision_id_review_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."review_decisions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_entity_idx" ON "audit_events" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "audit_events_created_idx" ON "audit_events" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "hash_bank_entries_bank_hash_idx" ON "hash_bank_entries" USING btree ("bank_id","signal_type","hash");--> statement-breakpoint
CREATE INDEX "hash_bank_entries_content_idx" ON "hash_bank_entries" USING btree ("content_id");--> statement-breakpoint
CREATE INDEX "content_hashes_content_idx" ON "content_hashes" USING btree ("content_id");--> statement-breakpoint
CREATE INDEX "contents_status_idx" ON "contents" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "contents_media_sha256_idx" ON "contents" USING btree ("media_sha256");--> statement-breakpoint
CREATE INDEX "model_scores_content_idx" ON "model_scores" USING btree ("content_id","created_at");--> statement-breakpoint
CREATE INDEX "content_decisions_content_idx" ON "content_decisions" USING btree ("content_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "review_decisions_task_moderator_idx" ON "review_decisions" USING btree ("task_id","moderator_id");--> statement-breakpoint
CREATE INDEX "review_tasks_claim_idx" ON "review_tasks" USING btree ("queue","status","priority","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "review_tasks_live_content_idx" ON "review_tasks" USING btree ("content_id") WHERE "review_tasks"."status" <> 'done';--> statement-breakpoint
CREATE INDEX "training_labels_labelled_at_idx" ON "training_labels" USING btree ("labelled_at");