-- Session nonces live 60 seconds and are kept in memory (membership's SessionNonces): a restart
-- forgets them, which only makes devices ask again, and issuing one no longer costs a write.
DROP TABLE session_challenge;
