-- first_time moderation asks, for every queued comment, whether this e-mail
-- (any case) has an approved comment; without an index that scans them all.
CREATE INDEX comments_by_email ON comments (lower(email), status);
