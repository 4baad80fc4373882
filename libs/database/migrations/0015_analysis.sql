CREATE TABLE "content_virality_tiers" (
	"content_id" uuid NOT NULL,
	"tier" integer NOT NULL,
	"velocity_per_hour" double precision NOT NULL,
	"views" bigint NOT NULL,
	"action" text NOT NULL,
	"outcome" text,
	"case_id" uuid,
	"crossed_at" timestamp with time zone NOT NULL,
	"checked_at" timestamp with time zone,
	CONSTRAINT "content_virality_tiers_content_id_tier_pk" PRIMARY KEY("content_id","tier")
);
--> statement-breakpoint
CREATE TABLE "retro_hunt_findings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"hunt_id" uuid NOT NULL,
	"content_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"bank_entry_id" uuid,
	"distance" integer,
	"model_version" text,
	"score" double precision,
	"policy_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"case_id" uuid,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "retro_hunts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trigger" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"bank_id" uuid,
	"entries_since" timestamp with time zone,
	"model_version_id" uuid,
	"window_days" integer NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"found" integer DEFAULT 0 NOT NULL,
	"cursor" uuid,
	"failed_reason" text,
	"requested_by" uuid,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "retro_hunts_trigger_check" CHECK ("retro_hunts"."trigger" in ('bank','model'))
);
--> statement-breakpoint
CREATE TABLE "training_packs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"moderator_id" uuid,
	"team" text,
	"policy_id" text NOT NULL,
	"nuance" text,
	"items" jsonb NOT NULL,
	"accuracy_before" double precision,
	"decisions_before" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "trend_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"policy_id" text,
	"status" text DEFAULT 'open' NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"count" integer NOT NULL,
	"baseline" double precision NOT NULL,
	"lift" double precision NOT NULL,
	"evidence" jsonb NOT NULL,
	"acknowledged_by" uuid,
	"acknowledged_at" timestamp with time zone,
	"note" text,
	"work" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "trend_alerts_kind_check" CHECK ("trend_alerts"."kind" in ('term_burst','visual_cluster','bank_surge'))
);
--> statement-breakpoint
ALTER TABLE "content_view_samples" ADD COLUMN "shares" bigint;--> statement-breakpoint
ALTER TABLE "content_view_samples" ADD COLUMN "reports" bigint;--> statement-breakpoint
ALTER TABLE "content_virality_tiers" ADD CONSTRAINT "content_virality_tiers_content_id_contents_id_fk" FOREIGN KEY ("content_id") REFERENCES "public"."contents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retro_hunt_findings" ADD CONSTRAINT "retro_hunt_findings_hunt_id_retro_hunts_id_fk" FOREIGN KEY ("hunt_id") REFERENCES "public"."retro_hunts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retro_hunt_findings" ADD CONSTRAINT "retro_hunt_findings_content_id_contents_id_fk" FOREIGN KEY ("content_id") REFERENCES "public"."contents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "content_virality_tiers_pending_idx" ON "content_virality_tiers" USING btree ("crossed_at") WHERE "content_virality_tiers"."checked_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "retro_hunt_findings_key" ON "retro_hunt_findings" USING btree ("hunt_id","content_id");--> statement-breakpoint
CREATE UNIQUE INDEX "trend_alerts_subject_key" ON "trend_alerts" USING btree ("kind","subject","first_seen_at");--> statement-breakpoint
CREATE INDEX "trend_alerts_status_idx" ON "trend_alerts" USING btree ("status","last_seen_at");