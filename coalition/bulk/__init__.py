"""Moving whole tables in and out at the database's pace: streamed exports, progress bars, consistent reads."""
