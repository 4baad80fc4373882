ALTER TABLE "contents" ADD COLUMN "views_observed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "content_decisions_overturns_idx" ON "content_decisions" USING btree ("overturns_decision_id") WHERE "content_decisions"."overturns_decision_id" is not null;--> statement-breakpoint
-- The latest count's time, from the samples already stored.
UPDATE "contents" c SET "views_observed_at" = s.observed_at
FROM (SELECT DISTINCT ON (content_id) content_id, observed_at FROM "content_view_samples" ORDER BY content_id, observed_at DESC, id DESC) s
WHERE c.id = s.content_id;--> statement-breakpoint
-- View counts update thousands of rows per call: room on each page lets PostgreSQL update a row
-- in place (a HOT update, no index entries) instead of writing it anew with every index. Pages
-- written from now on keep 20% free; drizzle-kit does not track storage parameters, so this stays.
ALTER TABLE "contents" SET (fillfactor = 80);
