CREATE TABLE "model_aliases" (
	"model_name" text NOT NULL,
	"alias" text NOT NULL,
	"version_id" uuid NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "model_aliases_model_name_alias_pk" PRIMARY KEY("model_name","alias")
);
--> statement-breakpoint
CREATE TABLE "model_deployments" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"action" text NOT NULL,
	"model_name" text NOT NULL,
	"version_id" uuid,
	"state" jsonb NOT NULL,
	"reason" text,
	"actor_id" uuid,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_name" text NOT NULL,
	"version" integer NOT NULL,
	"source" text NOT NULL,
	"format" text DEFAULT 'onnx' NOT NULL,
	"artefact_sha256" text NOT NULL,
	"artefact_bytes" integer NOT NULL,
	"signature" jsonb NOT NULL,
	"policies" text[] NOT NULL,
	"thresholds" jsonb NOT NULL,
	"evaluation" jsonb,
	"gates" jsonb,
	"gates_passed" boolean,
	"card" jsonb NOT NULL,
	"dataset_id" uuid,
	"training_run_id" uuid,
	"parent_version_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "model_versions_name_version" UNIQUE("model_name","version")
);
--> statement-breakpoint
CREATE TABLE "training_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"trigger" text NOT NULL,
	"dataset_id" uuid,
	"dataset_filter" jsonb,
	"params" jsonb NOT NULL,
	"progress" jsonb,
	"message" text,
	"model_version_id" uuid,
	"code_version" text NOT NULL,
	"cancel_requested" boolean DEFAULT false NOT NULL,
	"requested_by" uuid,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "content_embeddings" ADD COLUMN "mid_gem" real[];--> statement-breakpoint
ALTER TABLE "model_scores" ADD COLUMN "serving_role" text DEFAULT 'champion' NOT NULL;--> statement-breakpoint
ALTER TABLE "model_scores" ADD COLUMN "acted" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_version_id_model_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_runs" ADD CONSTRAINT "training_runs_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "training_runs_one_active" ON "training_runs" USING btree ((true)) WHERE "training_runs"."status" in ('queued', 'running');