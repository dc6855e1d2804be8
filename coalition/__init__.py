"""coalition: a relational event database of diplomatic summits."""
