CREATE TABLE "bank_hash_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bank_hash_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"entry_id" uuid NOT NULL,
	"bank_id" uuid NOT NULL,
	"frame_number" integer,
	"timestamp_seconds" double precision,
	"hash" text NOT NULL,
	"quality" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bank_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bank_id" uuid NOT NULL,
	"format" text NOT NULL,
	"file_path" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"lines_read" integer DEFAULT 0 NOT NULL,
	"imported" integer DEFAULT 0 NOT NULL,
	"duplicates" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"errors" text[] DEFAULT '{}'::text[] NOT NULL,
	"failure_reason" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "bank_index_changes" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bank_index_changes_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"op" text NOT NULL,
	"item_ids" integer[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "content_matches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"content_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"bank_id" uuid NOT NULL,
	"distance" integer NOT NULL,
	"query_match_percent" double precision,
	"compared_match_percent" double precision,
	"disposition" text NOT NULL,
	"feedback" text,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
DROP INDEX "hash_bank_entries_bank_hash_idx";--> statement-breakpoint
ALTER TABLE "hash_bank_entries" ADD COLUMN "seq" bigint NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "hash_bank_entries_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
ALTER TABLE "hash_bank_entries" ADD COLUMN "frame_count" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "hash_bank_entries" ADD COLUMN "note" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "hash_bank_entries" ADD COLUMN "tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "hash_bank_entries" ADD COLUMN "enabled" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "hash_bank_entries" ADD COLUMN "disabled_reason" text;--> statement-breakpoint
ALTER TABLE "hash_bank_entries" ADD COLUMN "quarantined_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "hash_bank_entries" ADD COLUMN "confirmed_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "hash_bank_entries" ADD COLUMN "refuted_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "hash_bank_entries" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "hash_bank_entries" ADD COLUMN "updated_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL;--> statement-breakpoint
ALTER TABLE "hash_banks" ADD COLUMN "kind" text DEFAULT 'block' NOT NULL;--> statement-breakpoint
ALTER TABLE "hash_banks" ADD COLUMN "action" text DEFAULT 'remove' NOT NULL;--> statement-breakpoint
ALTER TABLE "hash_banks" ADD COLUMN "enabled_ratio" double precision DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "hash_banks" ADD COLUMN "pdq_distance" integer DEFAULT 31 NOT NULL;--> statement-breakpoint
ALTER TABLE "hash_banks" ADD COLUMN "vpdq_query_percent" double precision DEFAULT 80 NOT NULL;--> statement-breakpoint
ALTER TABLE "hash_banks" ADD COLUMN "vpdq_compared_percent" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "hash_banks" ADD COLUMN "quarantine_refute_rate" double precision DEFAULT 0.5 NOT NULL;--> statement-breakpoint
ALTER TABLE "hash_banks" ADD COLUMN "quarantine_min_feedback" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "hash_banks" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "hash_banks" ADD COLUMN "updated_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL;--> statement-breakpoint
ALTER TABLE "bank_hash_items" ADD CONSTRAINT "bank_hash_items_entry_id_hash_bank_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."hash_bank_entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_imports" ADD CONSTRAINT "bank_imports_bank_id_hash_banks_id_fk" FOREIGN KEY ("bank_id") REFERENCES "public"."hash_banks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_matches" ADD CONSTRAINT "content_matches_entry_id_hash_bank_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."hash_bank_entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bank_hash_items_entry_idx" ON "bank_hash_items" USING btree ("entry_id");--> statement-breakpoint
CREATE INDEX "content_matches_content_idx" ON "content_matches" USING btree ("content_id");--> statement-breakpoint
CREATE INDEX "content_matches_entry_idx" ON "content_matches" USING btree ("entry_id");--> statement-breakpoint
CREATE UNIQUE INDEX "hash_bank_entries_bank_fingerprint_idx" ON "hash_bank_entries" USING btree ("bank_id","signal_type","hash");--> statement-breakpoint
CREATE INDEX "hash_bank_entries_bank_seq_idx" ON "hash_bank_entries" USING btree ("bank_id","seq");--> statement-breakpoint
ALTER TABLE "hash_banks" ADD CONSTRAINT "hash_banks_kind_check" CHECK ("hash_banks"."kind" in ('block','allow'));--> statement-breakpoint
ALTER TABLE "hash_banks" ADD CONSTRAINT "hash_banks_action_check" CHECK ("hash_banks"."action" in ('remove','review'));--> statement-breakpoint
ALTER TABLE "hash_banks" ADD CONSTRAINT "hash_banks_ratio_check" CHECK ("hash_banks"."enabled_ratio" between 0 and 1);--> statement-breakpoint
ALTER TABLE "hash_banks" ADD CONSTRAINT "hash_banks_pdq_distance_check" CHECK ("hash_banks"."pdq_distance" between 0 and 256);
--> statement-breakpoint
-- Entries banked before the match index existed become its first items.
INSERT INTO "bank_hash_items" ("entry_id", "bank_id", "hash", "quality")
  SELECT "id", "bank_id", "hash", "quality" FROM "hash_bank_entries" WHERE "signal_type" = 'pdq';
