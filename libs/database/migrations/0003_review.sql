CREATE TABLE "review_cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"content_id" uuid NOT NULL,
	"queue_id" text NOT NULL,
	"source" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"severity" text NOT NULL,
	"policy_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"reason" text NOT NULL,
	"priority" double precision NOT NULL,
	"sla_deadline" timestamp with time zone NOT NULL,
	"required_reviews" integer DEFAULT 1 NOT NULL,
	"reports_count" integer DEFAULT 0 NOT NULL,
	"excluded_moderators" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"gold_item_id" uuid,
	"appeal_id" uuid,
	"final_outcome" text,
	"provenance" text,
	"agreement" double precision,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "review_cases_status_check" CHECK ("review_cases"."status" in ('open','escalated','decided','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "appeals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"content_id" uuid NOT NULL,
	"decision_id" uuid NOT NULL,
	"statement" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"case_id" uuid,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "content_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"content_id" uuid NOT NULL,
	"policy_id" text NOT NULL,
	"reason" text NOT NULL,
	"reporter_ref" text,
	"case_id" uuid,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "content_view_samples" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "content_view_samples_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"content_id" uuid NOT NULL,
	"views" bigint NOT NULL,
	"velocity_per_hour" double precision DEFAULT 0 NOT NULL,
	"observed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gold_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"content_id" uuid NOT NULL,
	"labels" jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "moderator_breaks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"moderator_id" uuid NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "moderator_exposures" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "moderator_exposures_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"moderator_id" uuid NOT NULL,
	"task_id" uuid NOT NULL,
	"severity" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "moderator_profiles" (
	"api_key_id" uuid PRIMARY KEY NOT NULL,
	"team" text DEFAULT 'default' NOT NULL,
	"senior" boolean DEFAULT false NOT NULL,
	"preview_blur" integer,
	"preview_greyscale" boolean,
	"updated_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_queues" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"policy_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"languages" text[] DEFAULT '{}'::text[] NOT NULL,
	"regions" text[] DEFAULT '{}'::text[] NOT NULL,
	"senior_only" boolean DEFAULT false NOT NULL,
	"sla_minutes" integer DEFAULT 1440 NOT NULL,
	"consensus_reviews" integer DEFAULT 1 NOT NULL,
	"gold_rate" double precision DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"conditions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"queue_id" text NOT NULL,
	"consensus_reviews" integer,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "review_tasks" DROP CONSTRAINT "review_tasks_status_check";--> statement-breakpoint
DROP INDEX "review_tasks_live_content_idx";--> statement-breakpoint
ALTER TABLE "contents" ADD COLUMN "views" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "contents" ADD COLUMN "view_velocity" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "content_decisions" ADD COLUMN "overturns_decision_id" uuid;--> statement-breakpoint
ALTER TABLE "review_decisions" ADD COLUMN "action" text;--> statement-breakpoint
ALTER TABLE "review_decisions" ADD COLUMN "time_spent_ms" integer;--> statement-breakpoint
ALTER TABLE "review_decisions" ADD COLUMN "gold_correct" boolean;--> statement-breakpoint
-- Tasks from before review cases each become a case of their own.
INSERT INTO "review_queues" ("id", "name", "description", "senior_only", "sla_minutes", "consensus_reviews") VALUES
  ('default', 'Default', 'Everything no routing rule sends elsewhere', false, 1440, 3),
  ('senior', 'Senior review', 'Escalations and consensus disagreements', true, 240, 1),
  ('appeals', 'Appeals', 'Creators'' appeals against removals', false, 2880, 1)
  ON CONFLICT DO NOTHING;--> statement-breakpoint
ALTER TABLE "review_tasks" ADD COLUMN "case_id" uuid;--> statement-breakpoint
UPDATE "review_tasks" SET "case_id" = gen_random_uuid();--> statement-breakpoint
INSERT INTO "review_cases" ("id", "content_id", "queue_id", "source", "status", "severity", "reason", "priority", "sla_deadline", "created_at", "decided_at")
  SELECT "case_id", "content_id", "queue", 'model', CASE WHEN "status" = 'done' THEN 'decided' ELSE 'open' END, 'high', "reason", "priority",
         "created_at" + interval '1 day', "created_at", "completed_at"
  FROM "review_tasks";--> statement-breakpoint
ALTER TABLE "review_tasks" ALTER COLUMN "case_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "review_decisions" ADD COLUMN "case_id" uuid;--> statement-breakpoint
UPDATE "review_decisions" d SET "case_id" = t."case_id" FROM "review_tasks" t WHERE t."id" = d."task_id";--> statement-breakpoint
ALTER TABLE "review_decisions" ALTER COLUMN "case_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "review_tasks" ADD COLUMN "severity" text DEFAULT 'medium' NOT NULL;--> statement-breakpoint
ALTER TABLE "review_tasks" ADD COLUMN "senior_only" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "review_tasks" ADD COLUMN "leased_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "training_labels" ADD COLUMN "case_id" uuid;--> statement-breakpoint
ALTER TABLE "training_labels" ADD COLUMN "agreement" double precision DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "training_labels" ADD COLUMN "moderator_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "training_labels" ADD COLUMN "labeller_passing_gold" boolean;--> statement-breakpoint
ALTER TABLE "review_cases" ADD CONSTRAINT "review_cases_content_id_contents_id_fk" FOREIGN KEY ("content_id") REFERENCES "public"."contents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_content_id_contents_id_fk" FOREIGN KEY ("content_id") REFERENCES "public"."contents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_decision_id_content_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."content_decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_reports" ADD CONSTRAINT "content_reports_content_id_contents_id_fk" FOREIGN KEY ("content_id") REFERENCES "public"."contents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_view_samples" ADD CONSTRAINT "content_view_samples_content_id_contents_id_fk" FOREIGN KEY ("content_id") REFERENCES "public"."contents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gold_items" ADD CONSTRAINT "gold_items_content_id_contents_id_fk" FOREIGN KEY ("content_id") REFERENCES "public"."contents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderator_profiles" ADD CONSTRAINT "moderator_profiles_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_queue_id_review_queues_id_fk" FOREIGN KEY ("queue_id") REFERENCES "public"."review_queues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "review_cases_live_content_idx" ON "review_cases" USING btree ("content_id") WHERE "review_cases"."status" in ('open','escalated') and "review_cases"."source" not in ('gold','appeal');--> statement-breakpoint
CREATE INDEX "review_cases_content_idx" ON "review_cases" USING btree ("content_id");--> statement-breakpoint
CREATE INDEX "appeals_content_idx" ON "appeals" USING btree ("content_id");--> statement-breakpoint
CREATE INDEX "content_reports_content_idx" ON "content_reports" USING btree ("content_id");--> statement-breakpoint
CREATE INDEX "content_view_samples_content_idx" ON "content_view_samples" USING btree ("content_id","observed_at");--> statement-breakpoint
CREATE INDEX "moderator_breaks_moderator_idx" ON "moderator_breaks" USING btree ("moderator_id","started_at");--> statement-breakpoint
CREATE INDEX "moderator_exposures_moderator_idx" ON "moderator_exposures" USING btree ("moderator_id","created_at");--> statement-breakpoint
ALTER TABLE "review_decisions" ADD CONSTRAINT "review_decisions_case_id_review_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."review_cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_tasks" ADD CONSTRAINT "review_tasks_case_id_review_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."review_cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "review_tasks_case_idx" ON "review_tasks" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "review_tasks_holder_idx" ON "review_tasks" USING btree ("lease_holder_id");--> statement-breakpoint
CREATE INDEX "training_labels_content_idx" ON "training_labels" USING btree ("content_id");--> statement-breakpoint
ALTER TABLE "review_tasks" ADD CONSTRAINT "review_tasks_status_check" CHECK ("review_tasks"."status" in ('open','leased','done','cancelled'));