-- A list's entries as one text in its subscriptions row instead of a row per domain, so a
-- refresh writes a row per list, not one per domain it names (subscriptions/entries_text.hpp
-- gives the form: a line per domain, sorted, "domain TAB severity TAB flags TAB comment").
-- entry_count: the domains it names, as `federation subscriptions list` shows them.
ALTER TABLE subscriptions ADD COLUMN entries TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN entry_count BIGINT NOT NULL DEFAULT 0;
UPDATE subscriptions SET
  entries = COALESCE((SELECT string_agg(e.domain || chr(9) || e.severity || chr(9) ||
      (CASE WHEN e.reject_media != 0 THEN '1' ELSE '0' END) ||
      (CASE WHEN e.reject_reports != 0 THEN '1' ELSE '0' END) ||
      (CASE WHEN e.obfuscate != 0 THEN '1' ELSE '0' END) ||
      (CASE WHEN e.public_comment IS NULL THEN '0' ELSE '1' END) || chr(9) ||
      replace(replace(replace(replace(COALESCE(e.public_comment, ''), '\', '\\'),
        chr(9), '\t'), chr(10), '\n'), chr(13), '\r'), chr(10) ORDER BY e.domain)
    FROM subscription_entries e WHERE e.subscription_id = subscriptions.id), ''),
  entry_count = (SELECT count(*) FROM subscription_entries e
    WHERE e.subscription_id = subscriptions.id);
DROP TABLE subscription_entries;
