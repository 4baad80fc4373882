DROP INDEX "review_tasks_claimable_idx";--> statement-breakpoint
DROP INDEX "review_tasks_queue_claimable_idx";--> statement-breakpoint
ALTER TABLE "review_cases" ADD COLUMN "sla_breached_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "review_tasks" ADD COLUMN "sla_rank" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "review_cases_sla_watch_idx" ON "review_cases" USING btree ("sla_deadline") WHERE "review_cases"."status" in ('open','escalated') and "review_cases"."sla_breached_at" is null;--> statement-breakpoint
CREATE INDEX "review_cases_sla_breached_idx" ON "review_cases" USING btree ("queue_id","sla_breached_at") WHERE "review_cases"."sla_breached_at" is not null;--> statement-breakpoint
CREATE INDEX "review_tasks_claimable_idx" ON "review_tasks" USING btree ("sla_rank" DESC NULLS LAST,"priority" DESC NULLS LAST,"created_at") WHERE "review_tasks"."status" in ('open','leased');--> statement-breakpoint
CREATE INDEX "review_tasks_queue_claimable_idx" ON "review_tasks" USING btree ("queue","sla_rank" DESC NULLS LAST,"priority" DESC NULLS LAST,"created_at") WHERE "review_tasks"."status" in ('open','leased');