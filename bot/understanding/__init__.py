"""Free text -> facts: the lay vocabulary, negation scope, durations and answer reading."""
