"""File to figures, with no side effects: decoding, Vietnamese numbers and periods, prose and table readers."""
