-- One queue for every mail instctl sends (invites, sign-up approved or rejected, welcome,
-- moderation actions, notifications to moderators, password resets, waitlist confirmations),
-- sent by the one sender with the same claim and lease. `kind` names the mail. An invite mail
-- is still written when it is sent, from its invite (invite_id, which only invite mails have);
-- every other mail is written when it is queued, from what was true then (subject, body).
ALTER TABLE mails ADD COLUMN kind TEXT NOT NULL DEFAULT 'invite';
ALTER TABLE mails ALTER COLUMN invite_id DROP NOT NULL;
ALTER TABLE mails ADD COLUMN subject TEXT;
ALTER TABLE mails ADD COLUMN body TEXT;
ALTER TABLE mails ADD CONSTRAINT mails_invite_kind CHECK ((kind = 'invite') = (invite_id IS NOT NULL));
ALTER TABLE mails ADD CONSTRAINT mails_composed CHECK (kind = 'invite' OR (subject IS NOT NULL AND body IS NOT NULL));
-- Which mails a moderator or admin gets as things happen: 'reports' (a new report),
-- 'pending' (a sign-up waits for approval), both separated by a comma, or 'none'. Ignored for
-- other roles: notifications only ever go to staff.
ALTER TABLE accounts ADD COLUMN notify TEXT NOT NULL DEFAULT 'reports,pending';
