"""The interview: what to ask next and what happens to an answer, as one pure step function."""
