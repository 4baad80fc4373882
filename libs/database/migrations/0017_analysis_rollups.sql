CREATE TABLE "analysis_dirty_contents" (
	"content_id" uuid PRIMARY KEY NOT NULL,
	"marked_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analysis_dirty_score_days" (
	"day" date PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analysis_rollup_marks" (
	"name" text PRIMARY KEY NOT NULL,
	"folded_until" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "miss_violations" (
	"content_id" uuid NOT NULL,
	"policy_id" text NOT NULL,
	"confirmed_at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"region" text NOT NULL,
	"language" text NOT NULL,
	"missed" boolean NOT NULL,
	"record" jsonb NOT NULL,
	"nearest" jsonb,
	"refreshed_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "miss_violations_content_id_policy_id_pk" PRIMARY KEY("content_id","policy_id")
);
--> statement-breakpoint
CREATE TABLE "score_day_bins" (
	"day" date NOT NULL,
	"policy_id" text NOT NULL,
	"bin" smallint NOT NULL,
	"scores" integer NOT NULL,
	CONSTRAINT "score_day_bins_day_policy_id_bin_pk" PRIMARY KEY("day","policy_id","bin")
);
--> statement-breakpoint
ALTER TABLE "miss_violations" ADD CONSTRAINT "miss_violations_content_id_contents_id_fk" FOREIGN KEY ("content_id") REFERENCES "public"."contents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "miss_violations_confirmed_idx" ON "miss_violations" USING btree ("confirmed_at");
--> statement-breakpoint
-- Marks an item for the missed-violations rollup. An upsert rather than "do nothing": the writer then holds the row
-- until it commits, so a refresh (which takes rows FOR UPDATE SKIP LOCKED) cannot fold the item in before it can see the change.
CREATE FUNCTION "analysis_mark_dirty"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "analysis_dirty_contents" ("content_id") VALUES (NEW."content_id")
  ON CONFLICT ("content_id") DO UPDATE SET "marked_at" = clock_timestamp();
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Views that arrive late for an item already rolled up: only samples observed before its removal change its figures.
CREATE FUNCTION "analysis_mark_viewed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "analysis_dirty_contents" ("content_id")
  SELECT DISTINCT i."content_id" FROM "inserted" i JOIN "miss_violations" m ON m."content_id" = i."content_id"
  WHERE i."observed_at" <= coalesce((m."record" ->> 'removedAt')::timestamptz, m."confirmed_at")
  ON CONFLICT ("content_id") DO UPDATE SET "marked_at" = clock_timestamp();
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "content_decisions_rollup_insert" AFTER INSERT ON "content_decisions" FOR EACH ROW
  WHEN (NEW."outcome" = 'removed' OR NEW."overturns_decision_id" IS NOT NULL) EXECUTE FUNCTION "analysis_mark_dirty"();
--> statement-breakpoint
CREATE TRIGGER "content_decisions_rollup_update" AFTER UPDATE ON "content_decisions" FOR EACH ROW EXECUTE FUNCTION "analysis_mark_dirty"();
--> statement-breakpoint
CREATE TRIGGER "retro_hunt_findings_rollup" AFTER INSERT OR UPDATE ON "retro_hunt_findings" FOR EACH ROW
  WHEN (NEW."outcome" = 'removed') EXECUTE FUNCTION "analysis_mark_dirty"();
--> statement-breakpoint
CREATE TRIGGER "gold_items_rollup" AFTER INSERT OR UPDATE ON "gold_items" FOR EACH ROW
  WHEN (NEW."labels" @> '[{"violating": true}]'::jsonb) EXECUTE FUNCTION "analysis_mark_dirty"();
--> statement-breakpoint
CREATE TRIGGER "content_virality_tiers_rollup" AFTER UPDATE ON "content_virality_tiers" FOR EACH ROW
  WHEN (NEW."outcome" = 'removed') EXECUTE FUNCTION "analysis_mark_dirty"();
--> statement-breakpoint
CREATE TRIGGER "content_view_samples_rollup" AFTER INSERT ON "content_view_samples" REFERENCING NEW TABLE AS "inserted"
  FOR EACH STATEMENT EXECUTE FUNCTION "analysis_mark_viewed"();
--> statement-breakpoint
-- Scores written, moved or deleted in a day that is binned already: the day is binned again at the next refresh.
-- Statement triggers with transition tables, so ingest pays one check per statement, not per row.
CREATE FUNCTION "analysis_mark_score_days"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO "analysis_dirty_score_days" ("day")
    SELECT DISTINCT (n."created_at" AT TIME ZONE 'UTC')::date FROM "changed_new" n, "analysis_rollup_marks" m
    WHERE m."name" = 'score_day_bins' AND n."created_at" < m."folded_until"
    ON CONFLICT DO NOTHING;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO "analysis_dirty_score_days" ("day")
    SELECT DISTINCT (o."created_at" AT TIME ZONE 'UTC')::date FROM "changed_old" o, "analysis_rollup_marks" m
    WHERE m."name" = 'score_day_bins' AND o."created_at" < m."folded_until"
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "model_scores_rollup_insert" AFTER INSERT ON "model_scores" REFERENCING NEW TABLE AS "changed_new"
  FOR EACH STATEMENT EXECUTE FUNCTION "analysis_mark_score_days"();
--> statement-breakpoint
CREATE TRIGGER "model_scores_rollup_update" AFTER UPDATE ON "model_scores" REFERENCING OLD TABLE AS "changed_old" NEW TABLE AS "changed_new"
  FOR EACH STATEMENT EXECUTE FUNCTION "analysis_mark_score_days"();
--> statement-breakpoint
CREATE TRIGGER "model_scores_rollup_delete" AFTER DELETE ON "model_scores" REFERENCING OLD TABLE AS "changed_old"
  FOR EACH STATEMENT EXECUTE FUNCTION "analysis_mark_score_days"();
--> statement-breakpoint
-- Items confirmed before the rollup existed are folded in by the first refresh.
INSERT INTO "analysis_dirty_contents" ("content_id")
SELECT "content_id" FROM "content_decisions" WHERE "outcome" = 'removed'
UNION SELECT "content_id" FROM "retro_hunt_findings" WHERE "outcome" = 'removed'
UNION SELECT "content_id" FROM "gold_items" WHERE "labels" @> '[{"violating": true}]'::jsonb
ON CONFLICT DO NOTHING;
