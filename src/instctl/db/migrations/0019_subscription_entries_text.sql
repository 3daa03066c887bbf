-- A list's entries as one text in its subscriptions row instead of a row per domain, so a
-- refresh writes a row per list, not one per domain it names (subscriptions/entries_text.hpp
-- gives the form: a line per domain, sorted, "domain TAB severity TAB flags TAB comment").
-- entry_count: the domains it names, as `federation subscriptions list` shows them.
ALTER TABLE subscriptions ADD COLUMN entries TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN entry_count INTEGER NOT NULL DEFAULT 0;
UPDATE subscriptions SET
  entries = COALESCE((SELECT group_concat(e.domain || char(9) || e.severity || char(9) ||
      (e.reject_media != 0) || (e.reject_reports != 0) || (e.obfuscate != 0) ||
      (e.public_comment IS NOT NULL) || char(9) ||
      replace(replace(replace(replace(COALESCE(e.public_comment, ''), '\', '\\'),
        char(9), '\t'), char(10), '\n'), char(13), '\r'), char(10))
    FROM (SELECT * FROM subscription_entries ORDER BY domain) e
    WHERE e.subscription_id = subscriptions.id), ''),
  entry_count = (SELECT count(*) FROM subscription_entries e
    WHERE e.subscription_id = subscriptions.id);
DROP TABLE subscription_entries;
