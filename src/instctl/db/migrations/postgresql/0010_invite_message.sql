-- An invite's words for the invitee, apart from the admins' note. `note` was shown on the
-- invite page as "A note from your inviter" although it is documented as private to admins
-- ("who it is for"); from here on only `message` reaches the invitee, and existing notes stay
-- private (every existing invite starts with no message).
ALTER TABLE invites ADD COLUMN message TEXT NOT NULL DEFAULT '';
-- The username an invite offers: the one a waitlist entry asked for, filled in on the invite
-- page (the invitee can still choose another). NULL: the invitee chooses.
ALTER TABLE invites ADD COLUMN username TEXT;
