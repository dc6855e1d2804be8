"""The change feed: public changes read from the history tables in a replayable order, and their replay."""
